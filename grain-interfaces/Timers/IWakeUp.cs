namespace Waymark.GrainInterfaces.Timers;

/// <summary>
/// A grain the timer wheel can wake. The wheel stores a wake-up's target as the grain's id text
/// (<see cref="GrainId.ToString"/>, <c>type/key</c>) and calls it through <c>GetGrain&lt;IWakeUp&gt;(GrainId)</c>, which
/// names the grain class itself: any number of classes may implement this interface, with no default among them.
/// A wake-up can come more than once (a crash between the call and the removal of its row) or after it stopped
/// mattering, so the target's own state decides what it means.
/// </summary>
public interface IWakeUp : IGrainWithStringKey
{
    /// <summary>Called once <paramref name="due"/> has passed, with the <paramref name="tag"/> it was scheduled with.
    /// A thrown exception keeps the wake-up for a later poll.</summary>
    Task WakeUp(DateTimeOffset due, string tag);
}
