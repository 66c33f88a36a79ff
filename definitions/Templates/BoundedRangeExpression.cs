using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>A Liquid range <c>(from..to)</c> that refuses to hold more than <see cref="TemplateLimits.MaxCollectionLength"/> numbers.</summary>
internal sealed class BoundedRangeExpression(Expression from, Expression to) : Expression
{
    public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
    {
        var start = Convert.ToInt32((await from.EvaluateAsync(context).ConfigureAwait(false)).ToNumberValue());
        var end = Convert.ToInt32((await to.EvaluateAsync(context).ConfigureAwait(false)).ToNumberValue());
        var count = (long)end - start + 1;
        if (count > TemplateLimits.MaxCollectionLength)
        {
            throw new InvalidOperationException($"the range ({start}..{end}) holds more than {TemplateLimits.MaxCollectionLength} numbers");
        }

        return count <= 0
            ? ArrayValue.Empty
            : new ArrayValue(Enumerable.Range(start, (int)count).Select(i => (FluidValue)NumberValue.Create(i)).ToArray());
    }
}
