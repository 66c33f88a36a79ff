namespace Waymark.Storage.CustomerLog;

/// <summary>One page of a timeline, newest first; <see cref="Next"/> reads the older entries and is null when none remain.</summary>
public sealed record TimelinePage(IReadOnlyList<LogEntry> Items, TimelineCursor? Next);
