using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Waymark.Bench.Common;

/// <summary>
/// Counts the gateway's warnings and errors by category and event id, keeping the first message of each, so the report
/// can say what the runtime complained about under load (the console still shows every line, on stderr).
/// </summary>
public sealed class LogTally : ILoggerProvider
{
    private readonly ConcurrentDictionary<(string Category, int EventId, LogLevel Level), Tally> tallies = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>Every warning and error since the last call, most frequent first; the tally starts again.</summary>
    public IReadOnlyList<LoggedKind> Take()
    {
        var taken = new List<LoggedKind>();
        foreach (var key in tallies.Keys)
        {
            if (tallies.TryRemove(key, out var tally))
            {
                taken.Add(new LoggedKind(key.Level, key.Category, key.EventId, tally.Count, tally.First));
            }
        }

        return [.. taken.OrderByDescending(k => k.Count)];
    }

    public void Dispose()
    {
    }

    private sealed class Tally(string first)
    {
        private long count;

        public string First { get; } = first;

        public long Count => Interlocked.Read(ref count);

        public void Add() => Interlocked.Increment(ref count);
    }

    private sealed class Logger(string category, LogTally owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.tallies.GetOrAdd((category, eventId.Id, logLevel), _ => new Tally(formatter(state, exception))).Add();
            }
        }
    }
}

/// <summary>One kind of warning or error: how often it came, and its first message.</summary>
public sealed record LoggedKind(LogLevel Level, string Category, int EventId, long Count, string First);
