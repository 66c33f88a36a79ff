using System.Text.Encodings.Web;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>A <c>{% capture %}</c> whose buffer is bounded like a field's output.</summary>
internal sealed class BoundedCaptureStatement(string identifier, IReadOnlyList<Statement> statements) : TagStatement(statements)
{
    public override async ValueTask<Completion> WriteToAsync(TextWriter writer, TextEncoder encoder, TemplateContext context)
    {
        using var captured = new BoundedWriter(TemplateLimits.MaxOutputLength);
        var completion = Completion.Normal;
        foreach (var statement in Statements)
        {
            completion = await statement.WriteToAsync(captured, encoder, context).ConfigureAwait(false);
            if (completion != Completion.Normal)
            {
                break;
            }
        }

        // Unencoded, as Fluid's own capture: the captured text was encoded when it was written.
        context.SetValue(identifier, new StringValue(captured.ToString(), encode: false));
        return completion;
    }
}
