using CsCheck;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>Laws every evaluation keeps, for generated customers and predicates; a throw fails each of them too.</summary>
public class EvaluationProperties
{
    private static readonly Gen<(Scenario, Predicate, Predicate)> Cases =
        Gen.Select(EvaluationGenerators.Scenario, EvaluationGenerators.Predicate(depth: 3), EvaluationGenerators.Predicate(depth: 3));

    [Fact]
    public void Not_is_the_opposite_of_its_predicate()
    {
        Cases.Sample((customer, p, _) =>
        {
            var facts = customer.Facts;

            Assert.Equal(!PredicateEvaluator.Evaluate(p, facts), PredicateEvaluator.Evaluate(new NotPredicate(p), facts));
        }, iter: 5_000);
    }

    [Fact]
    public void All_is_and_and_any_is_or()
    {
        Cases.Sample((customer, p, q) =>
        {
            var facts = customer.Facts;
            var (holdsP, holdsQ) = (PredicateEvaluator.Evaluate(p, facts), PredicateEvaluator.Evaluate(q, facts));

            Assert.Equal(holdsP && holdsQ, PredicateEvaluator.Evaluate(new AllPredicate([p, q]), facts));
            Assert.Equal(holdsP || holdsQ, PredicateEvaluator.Evaluate(new AnyPredicate([p, q]), facts));
        }, iter: 5_000);
    }

    [Fact]
    public void Exactly_one_of_exists_and_not_exists_holds()
    {
        Gen.Select(EvaluationGenerators.Scenario, Gen.OneOf("a", "b", "amount", "a.b", "a.amount")).Sample((customer, name) =>
        {
            var facts = customer.Facts;
            var exists = PredicateEvaluator.Evaluate(new TraitPredicate(name, new Comparison(ComparisonOperator.Exists, null)), facts);

            Assert.NotEqual(exists, PredicateEvaluator.Evaluate(new TraitPredicate(name, new Comparison(ComparisonOperator.NotExists, null)), facts));
        }, iter: 2_000);
    }

    [Fact]
    public void Eq_and_neq_never_both_hold_and_a_one_item_list_means_the_same()
    {
        var literals = Gen.OneOf<Literal>(new NumberLiteral(30), new NumberLiteral(1), new TextLiteral("a"), new TextLiteral("2027-05-20T12:00:00Z"), new BooleanLiteral(true));
        Gen.Select(EvaluationGenerators.Scenario, Gen.OneOf("a", "b", "amount", "a.b"), literals).Sample((customer, name, literal) =>
        {
            var facts = customer.Facts;
            bool Holds(ComparisonOperator op, Operand operand) => PredicateEvaluator.Evaluate(new TraitPredicate(name, new Comparison(op, operand)), facts);
            var (eq, neq) = (Holds(ComparisonOperator.Eq, literal), Holds(ComparisonOperator.Neq, literal));

            Assert.False(eq && neq);
            Assert.Equal(eq, Holds(ComparisonOperator.In, new ListOperand([literal])));
            Assert.Equal(neq, Holds(ComparisonOperator.NotIn, new ListOperand([literal])));
        }, iter: 2_000);
    }
}
