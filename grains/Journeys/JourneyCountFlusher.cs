using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Journeys;

/// <summary>
/// Moves the count changes customers wrote with their log appends into the journeys' totals, on every silo once a
/// second. Each flush is one transaction that adds pending rows to the totals and deletes them, so silos flushing at
/// once never count a row twice, and a crash at any point loses nothing: unflushed rows wait for the next flush.
/// </summary>
public sealed partial class JourneyCountFlusher(ICountStore counts, ILogger<JourneyCountFlusher> logger) : BackgroundService
{
    /// <summary>Rows moved per transaction: a backlog drains in batches this size, back to back.</summary>
    private const int BatchRows = 10_000;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await counts.FlushAsync(BatchRows, stoppingToken) == BatchRows)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFlushFailed(logger, e);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Moving journey count changes into their totals failed; the changes stay pending and the next flush tries again.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
