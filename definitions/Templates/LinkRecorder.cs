using Fluid;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>
/// The links one message tracks, in the order its templates call <c>track</c>. The filter is registered
/// once on the shared options, so the recorder of the message being rendered rides on each context.
/// </summary>
internal sealed class LinkRecorder(ILinkTracker tracker)
{
    private const string ContextKey = "waymark.links";

    private readonly ILinkTracker _tracker = tracker;
    private readonly List<TrackedLink> _links = [];

    public IReadOnlyList<TrackedLink> Links => _links;

    public void AttachTo(TemplateContext context) => context.AmbientValues[ContextKey] = this;

    /// <summary>The <c>track</c> filter: an empty URL tracks nothing and renders empty.</summary>
    public static ValueTask<FluidValue> Track(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var url = input.ToStringValue().Trim();
        if (url.Length == 0)
        {
            return new ValueTask<FluidValue>(StringValue.Empty);
        }

        var recorder = (LinkRecorder)context.AmbientValues[ContextKey];
        var placeholder = recorder._tracker.Track(url);
        recorder._links.Add(new TrackedLink(placeholder, url));
        return new ValueTask<FluidValue>(new StringValue(placeholder));
    }
}
