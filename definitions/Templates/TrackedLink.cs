namespace Waymark.Definitions.Templates;

/// <summary>One <c>track</c> filter call of a rendered message: the text written in the message and the URL it stands for.</summary>
public sealed record TrackedLink(string Placeholder, string Target);
