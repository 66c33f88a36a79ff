using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Waymark.Definitions.Templates;

/// <summary>Renders a parsed <see cref="MessageTemplate"/> for one customer; never parses.</summary>
public static class TemplateRenderer
{
    // Encodes what HTML gives meaning to (< > & " ' +), but leaves non-ASCII text such as Chinese readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// The message for these variables: values are HTML-encoded in the email <c>html</c> field and written
    /// as they are elsewhere; payload strings become JSON strings. Tracked links go through <paramref name="links"/>.
    /// </summary>
    /// <exception cref="TemplateRenderException">A limit was reached or a filter failed.</exception>
    public static RenderedMessage Render(MessageTemplate template, TemplateVariables variables, ILinkTracker links)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(links);

        var scope = new MessageScope(variables, links);
        var fields = template.ParsedFields.ToDictionary(
            f => f.Field,
            f => scope.Render(f.Template, f.Field, EncoderFor(f.Field)),
            StringComparer.Ordinal);
        var payload = template.ParsedPayload?.Render((text, location) => scope.Render(text, location, NullEncoder.Default));
        return new RenderedMessage(template.Channel, fields, payload, scope.Links);
    }

    internal static TextEncoder EncoderFor(string field) => field == ChannelFields.Html ? Html : NullEncoder.Default;
}
