namespace Waymark.Storage.Counts;

/// <summary>The flushed total of one counter of a journey version in the UTC hour starting at <see cref="Bucket"/>.</summary>
public sealed record CountTotal(int Version, DateTimeOffset Bucket, string Counter, long Value);
