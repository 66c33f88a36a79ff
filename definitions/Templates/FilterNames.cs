using Fluid;
using Fluid.Ast;

namespace Waymark.Definitions.Templates;

/// <summary>Collects the name of every filter a parsed template applies, wherever it sits.</summary>
internal sealed class FilterNames : AstVisitor
{
    private readonly List<string> _names = [];

    public static IReadOnlyList<string> Of(IFluidTemplate template)
    {
        var visitor = new FilterNames();
        visitor.VisitTemplate(template);
        return visitor._names;
    }

    protected override Expression VisitFilterExpression(FilterExpression filterExpression)
    {
        _names.Add(filterExpression.Name);
        return base.VisitFilterExpression(filterExpression);
    }
}
