namespace Waymark.Storage.CustomerLog;

public sealed class CustomerLogOptions
{
    /// <summary>The most rows, log entries, timers and count changes together, one transaction takes. An append larger
    /// than this is written alone, whole.</summary>
    public int MaxBatchEntries { get; set; } = 4096;
}
