using System.Diagnostics;
using System.Runtime;

namespace Waymark.Bench.Runtime;

/// <summary>What the process holds at one moment: the managed heap's live objects and the process's resident memory.</summary>
internal sealed record MemorySample(long HeapBytes, long WorkingSetBytes)
{
    /// <summary>
    /// After full, compacting, aggressive collections: the heap is what is live, not what was allocated, and the
    /// collector has given back to the system what it could, so the working set is close to what the process needs.
    /// The working set also holds native memory the heap does not show: SQLite's page cache, thread stacks, code.
    /// </summary>
    public static MemorySample Take()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return new MemorySample(GC.GetTotalMemory(forceFullCollection: false), self.WorkingSet64);
    }
}
