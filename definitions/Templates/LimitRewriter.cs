using Fluid.Ast;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>
/// Swaps the parts of a parsed template that Fluid 2.41 lets grow without bound for bounded ones: a
/// range is materialized as an array before any step is counted, and a capture writes to a buffer of
/// its own, out of reach of the output limit.
/// </summary>
internal sealed class LimitRewriter : AstRewriter
{
    /// <summary>The value, or an exception when an assigned string or array is past the limits (doubling in a loop).</summary>
    public static FluidValue Bounded(FluidValue value) => value switch
    {
        StringValue text when text.ToStringValue().Length > TemplateLimits.MaxOutputLength =>
            throw new InvalidOperationException($"an assigned text is longer than {TemplateLimits.MaxOutputLength} characters"),
        ArrayValue array when array.Values.Count > TemplateLimits.MaxCollectionLength =>
            throw new InvalidOperationException($"an assigned array holds more than {TemplateLimits.MaxCollectionLength} items"),
        _ => value,
    };

    protected override Expression VisitRangeExpression(RangeExpression rangeExpression) =>
        base.VisitRangeExpression(rangeExpression) is RangeExpression range
            ? new BoundedRangeExpression(range.From, range.To)
            : rangeExpression;

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement) =>
        base.VisitCaptureStatement(captureStatement) is CaptureStatement capture
            ? new BoundedCaptureStatement(capture.Identifier, capture.Statements)
            : captureStatement;
}
