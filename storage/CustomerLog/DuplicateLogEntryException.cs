namespace Waymark.Storage.CustomerLog;

/// <summary>An append repeated a (workspace, customer key, seq) that the log already holds, or repeated one
/// within itself. Nothing of that append was written. The grain owns its numbering, so this is a bug: typically
/// two activations of one customer, or a grain that lost track of its last sequence number.</summary>
public sealed class DuplicateLogEntryException : InvalidOperationException
{
    public DuplicateLogEntryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
