using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Predicates;

/// <summary>
/// Whether a value passes a <see cref="Comparison"/>. The rules, in one place:
/// <list type="bullet">
/// <item>Numbers compare numerically; text ordinally, unless both sides are ISO 8601 timestamps with
/// offset (or one is a lastSeen instant), which compare as instants; booleans only by equality; two
/// arrays or two objects (read through paths) by JSON equality.</item>
/// <item>Values of different types are not comparable: every operator is false, neq included.</item>
/// <item>A missing value (absent, JSON null, an unresolvable path) fails every operator except
/// <c>notExists</c>, <c>neq</c> and <c>notIn</c>: no city is "not Beijing".</item>
/// <item><c>in</c> holds when the value equals a listed value; <c>notIn</c> when it equals none and is
/// comparable with at least one, so <c>notIn [x]</c> is <c>neq x</c>.</item>
/// <item><c>between</c> includes both ends; <c>contains</c> finds a substring of text (ordinal) or an equal
/// element of an array; <c>startsWith</c> reads text only (ordinal).</item>
/// <item><c>exists</c>: present and not JSON null.</item>
/// </list>
/// </summary>
internal static class ComparisonEvaluator
{
    public static bool Holds(Comparison comparison, in RuntimeValue left, EvaluationFacts facts)
    {
        var op = comparison.Operator;
        if (op is ComparisonOperator.Exists or ComparisonOperator.NotExists)
        {
            return left.IsPresent == (op == ComparisonOperator.Exists);
        }

        if (!left.IsPresent)
        {
            return op is ComparisonOperator.Neq or ComparisonOperator.NotIn;
        }

        // The reader pairs each operator with one operand shape; any other pairing holds for no value.
        return (op, comparison.Operand) switch
        {
            (ComparisonOperator.In, ListOperand list) => IsIn(left, list, facts.Now),
            (ComparisonOperator.NotIn, ListOperand list) => IsNotIn(left, list, facts.Now),
            (ComparisonOperator.Between, RangeOperand range) =>
                Order(left, Of(range.Low, facts.Now)) >= 0 && Order(left, Of(range.High, facts.Now)) <= 0,
            (_, Literal literal) => Holds(op, left, Of(literal, facts.Now)),
            (_, PathOperand path) => Holds(op, left, Resolve(path.Path, facts)),
            _ => false,
        };
    }

    /// <summary>A literal's value; a duration is an offset from now (lastSeen).</summary>
    private static RuntimeValue Of(Literal literal, Instant now) => literal switch
    {
        NumberLiteral number => RuntimeValue.Of(number.Value),
        TextLiteral text => RuntimeValue.Of(text.Value),
        BooleanLiteral boolean => RuntimeValue.Of(boolean.Value),
        DurationLiteral duration => RuntimeValue.Of(Instants.Shift(now, Duration.FromTimeSpan(duration.Value))),
        _ => throw new ArgumentOutOfRangeException(nameof(literal), $"unknown literal {literal.GetType().Name}"),
    };

    private static RuntimeValue Resolve(ValuePath path, EvaluationFacts facts) => path.Root switch
    {
        ValueRoot.TriggerProperties => RuntimeValue.At(facts.Run.TriggerProperties, path.Name),
        ValueRoot.EventProperties => RuntimeValue.At(facts.Run.EventProperties, path.Name),
        ValueRoot.CustomerTraits => RuntimeValue.At(facts.Customer.Traits, path.Name),
        _ => RuntimeValue.Missing,
    };

    private static bool Holds(ComparisonOperator op, in RuntimeValue left, in RuntimeValue right)
    {
        if (!right.IsPresent)
        {
            return op == ComparisonOperator.Neq;
        }

        return op switch
        {
            ComparisonOperator.Eq => Equal(left, right) == true,
            ComparisonOperator.Neq => Equal(left, right) == false,
            ComparisonOperator.Gt => Order(left, right) > 0,
            ComparisonOperator.Gte => Order(left, right) >= 0,
            ComparisonOperator.Lt => Order(left, right) < 0,
            ComparisonOperator.Lte => Order(left, right) <= 0,
            ComparisonOperator.Contains => Contains(left, right),
            ComparisonOperator.StartsWith => left.Kind == RuntimeKind.Text && right.Kind == RuntimeKind.Text
                && left.Text!.StartsWith(right.Text!, StringComparison.Ordinal),
            _ => false,
        };
    }

    // Indexed loops throughout: EquatableArray and JsonArray enumerators are boxed, and evaluation allocates nothing.
    private static bool IsIn(in RuntimeValue left, ListOperand list, Instant now)
    {
        for (var i = 0; i < list.Values.Count; i++)
        {
            if (Equal(left, Of(list.Values[i], now)) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNotIn(in RuntimeValue left, ListOperand list, Instant now)
    {
        var comparable = false;
        for (var i = 0; i < list.Values.Count; i++)
        {
            switch (Equal(left, Of(list.Values[i], now)))
            {
                case true:
                    return false;
                case false:
                    comparable = true;
                    break;
            }
        }

        return comparable;
    }

    private static bool Contains(in RuntimeValue left, in RuntimeValue right)
    {
        if (left.Kind == RuntimeKind.Text)
        {
            return right.Kind == RuntimeKind.Text && left.Text!.Contains(right.Text!, StringComparison.Ordinal);
        }

        if (left.Node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (Equal(RuntimeValue.Of(array[i]), right) == true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether two present values are equal; null when they are not comparable.</summary>
    private static bool? Equal(in RuntimeValue left, in RuntimeValue right) => (left.Kind, right.Kind) switch
    {
        (RuntimeKind.Boolean, RuntimeKind.Boolean) => left.Boolean == right.Boolean,
        (RuntimeKind.Array, RuntimeKind.Array) or (RuntimeKind.Object, RuntimeKind.Object) => StructuresEqual(left.Node, right.Node),
        _ => Order(left, right) is { } order ? order == 0 : null,
    };

    // Structures only meet through paths; one holding text no JSON can carry (an unpaired surrogate) equals nothing.
    private static bool? StructuresEqual(JsonNode? left, JsonNode? right)
    {
        try
        {
            return JsonNode.DeepEquals(left, right);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The order of two present values (negative: left first); null when they are not ordered.</summary>
    private static int? Order(in RuntimeValue left, in RuntimeValue right) => (left.Kind, right.Kind) switch
    {
        (RuntimeKind.Number, RuntimeKind.Number) => CompareNumbers(left, right),
        (RuntimeKind.Instant or RuntimeKind.Text, RuntimeKind.Instant or RuntimeKind.Text) when left.Instant is { } a && right.Instant is { } b => a.CompareTo(b),
        (RuntimeKind.Text, RuntimeKind.Text) => string.CompareOrdinal(left.Text, right.Text),
        _ => null,
    };

    // Exact decimals when both are; else doubles, where a sum of +∞ and −∞ (NaN) orders with nothing.
    private static int? CompareNumbers(in RuntimeValue left, in RuntimeValue right)
    {
        if (left.IsExact && right.IsExact)
        {
            return left.Exact.CompareTo(right.Exact);
        }

        var (a, b) = (left.AsDouble, right.AsDouble);
        return double.IsNaN(a) || double.IsNaN(b) ? null : a.CompareTo(b);
    }
}
