namespace Waymark.Definitions.Templates;

/// <summary>Turns each URL a template passes to the <c>track</c> filter into the text the message carries instead.</summary>
public interface ILinkTracker
{
    /// <summary>The text written in place of a tracked link to <paramref name="url"/>; distinct per call.</summary>
    string Track(string url);
}
