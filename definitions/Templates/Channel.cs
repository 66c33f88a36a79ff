namespace Waymark.Definitions.Templates;

/// <summary>The channels a send node can use (canvas.md); each has its own template fields.</summary>
public enum Channel
{
    Webhook,
    Email,
    Sms,
    Push,
    Inapp,
}
