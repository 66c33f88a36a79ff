namespace Waymark.Engine.Journeys;

/// <summary>What the journey's lifecycle lets its runs do (canvas.md "Lifecycle effects").</summary>
public enum JourneyMode
{
    /// <summary>Runs move, send and enter.</summary>
    Active,

    /// <summary>No entries and no sends; a run whose step comes due is held until resume; exitWhen still ends runs.</summary>
    Paused,

    /// <summary>Every run ends with reason <c>archived</c>.</summary>
    Archived,
}
