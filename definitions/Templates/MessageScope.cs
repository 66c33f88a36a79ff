using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>
/// The variables and tracked links of one message being rendered. Each field renders in a context of
/// its own (an <c>assign</c> in the subject does not leak into the body) over the same variables.
/// </summary>
internal sealed class MessageScope
{
    // Fluid reports both its step and its scope-depth limit with this text, which names neither.
    private const string FluidLimitMessage = "The maximum level of recursion has been reached";

    private readonly KeyValuePair<string, FluidValue>[] _variables;
    private readonly LinkRecorder _links;

    public MessageScope(TemplateVariables variables, ILinkTracker tracker)
    {
        _links = new LinkRecorder(tracker);
        _variables =
        [
            KeyValuePair.Create("customer", JsonFluidValues.Object(
            [
                KeyValuePair.Create("id", JsonFluidValues.Text(variables.CustomerId)),
                KeyValuePair.Create("traits", JsonFluidValues.From(variables.Traits)),
                KeyValuePair.Create("tags", JsonFluidValues.Array(variables.Tags.Select(JsonFluidValues.Text))),
            ])),
            KeyValuePair.Create("event", JsonFluidValues.Object(
            [
                KeyValuePair.Create("name", JsonFluidValues.Text(variables.EventName)),
                KeyValuePair.Create("properties", JsonFluidValues.From(variables.EventProperties)),
            ])),
            KeyValuePair.Create("trigger", JsonFluidValues.Object(
            [
                KeyValuePair.Create("properties", JsonFluidValues.From(variables.TriggerProperties)),
            ])),
            KeyValuePair.Create("journey", JsonFluidValues.Object(
            [
                KeyValuePair.Create("id", JsonFluidValues.Text(variables.JourneyId)),
                KeyValuePair.Create("name", JsonFluidValues.Text(variables.JourneyName)),
            ])),
            KeyValuePair.Create("message", JsonFluidValues.Object(
            [
                KeyValuePair.Create("id", JsonFluidValues.Text(variables.MessageId)),
                KeyValuePair.Create("variant", JsonFluidValues.Text(variables.MessageVariant)),
            ])),
        ];
    }

    public IReadOnlyList<TrackedLink> Links => _links.Links;

    /// <param name="location">The field or payload string, for the error: <c>html</c>, <c>payload.customer.id</c>.</param>
    public string Render(IFluidTemplate template, string location, TextEncoder encoder)
    {
        var context = new TemplateContext(Liquid.Options);
        foreach (var (name, value) in _variables)
        {
            context.SetValue(name, value);
        }

        _links.AttachTo(context);
        using var writer = new BoundedWriter(TemplateLimits.MaxOutputLength);
        try
        {
            var rendering = template.RenderAsync(writer, encoder, context);

            // Nothing in a Waymark template waits (no includes, synchronous filters): this is already done.
            if (!rendering.IsCompletedSuccessfully)
            {
                rendering.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e)
        {
            throw new TemplateRenderException(location, Reason(e), e);
        }

        return writer.ToString();
    }

    private static string Reason(Exception e) =>
        e.Message.StartsWith(FluidLimitMessage, StringComparison.Ordinal)
            ? $"it runs more than {TemplateLimits.MaxSteps} steps or nests loops deeper than {TemplateLimits.MaxRecursion}"
            : e.Message;
}
