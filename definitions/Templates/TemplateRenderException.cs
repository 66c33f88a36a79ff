namespace Waymark.Definitions.Templates;

/// <summary>
/// A template that parsed but could not be rendered for this customer: a limit was reached (steps,
/// range, output length) or a filter failed on the values it got. <see cref="Exception.InnerException"/>
/// holds Fluid's own error.
/// </summary>
public sealed class TemplateRenderException : Exception
{
    public TemplateRenderException(string location, string reason, Exception? innerException)
        : base($"The template's '{location}' could not be rendered: {reason}", innerException)
    {
        Location = location;
    }

    /// <summary>Where in the template: a field (<c>html</c>) or a payload string (<c>payload.customer.id</c>).</summary>
    public string Location { get; }
}
