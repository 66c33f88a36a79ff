using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Waymark.Engine.Segments;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Segments;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Segments;

namespace Waymark.Grains.Segments;

/// <summary>
/// <see cref="ISegmentQueryGrain"/>: sizes and member pages come from the member rows the customers write; insight reads
/// an even random sample of members and of the workspace's customers (all keys are read, the sample's profiles only).
/// </summary>
[StatelessWorker]
public sealed class SegmentQueryGrain(ISegmentMembers members, ICustomerLog log) : Grain, ISegmentQueryGrain
{
    /// <summary>Keys read per query while sampling.</summary>
    private const int KeyPage = 5_000;

    /// <summary>Profiles read at once for a sample.</summary>
    private const int Concurrency = 32;

    public async Task<SegmentStatus?> Status(string workspace, string segment)
    {
        var catalog = await Library(workspace).Catalog();
        if (catalog.Segments.FirstOrDefault(s => s.Id == segment) is not { } view)
        {
            return null;
        }

        var backfill = GrainFactory.GetGrain<ISegmentBackfillGrain>(workspace);
        var progress = await backfill.Progress();
        if (progress.Target < view.Revision)
        {
            await backfill.Start(catalog.Generation); // the save that should have started it did not get to
        }

        var ready = progress.IsReady(view.Revision);
        return new SegmentStatus(await members.CountAsync(workspace, segment), ready, ready ? 1.0 : progress.Fraction);
    }

    public async Task<MembersPage> Members(string workspace, string segment, string? after, int limit)
    {
        var keys = await members.PageAsync(workspace, segment, after, limit);
        return new MembersPage([.. keys], keys.Count == limit ? keys[^1] : null);
    }

    public async Task<MemberRowsPage> MemberRows(string workspace, string segment, string? after, int limit, ImmutableArray<string> traits)
    {
        var page = await Members(workspace, segment, after, limit);
        var profiles = await Profiles(workspace, [.. page.CustomerKeys]);
        return new MemberRowsPage(
            [.. profiles.Select(v =>
            {
                var held = JsonNode.Parse(v.TraitsJson)!.AsObject();
                return new MemberRow(v.Id, [.. traits.Select(t => Portrait.ValueText(held[t]))]);
            })],
            page.Next);
    }

    public async Task<SegmentInsight> Insight(string workspace, string segment, ImmutableArray<string> traits)
    {
        var segmentSample = await Profiles(workspace, await Sample((after, n) => members.PageAsync(workspace, segment, after, n)));
        var workspaceSample = await Profiles(workspace, await Sample((after, n) => log.ListCustomersAsync(workspace, after, n)));
        var segmentTraits = segmentSample.Select(v => JsonNode.Parse(v.TraitsJson)!.AsObject()).ToList();
        var workspaceTraits = workspaceSample.Select(v => JsonNode.Parse(v.TraitsJson)!.AsObject()).ToList();
        return new SegmentInsight(
            await members.CountAsync(workspace, segment),
            await log.CountCustomersAsync(workspace),
            traits.Distinct(StringComparer.Ordinal).ToImmutableDictionary(
                t => t,
                t => new TraitShares(Portrait.TraitShares(segmentTraits, t), Portrait.TraitShares(workspaceTraits, t)),
                StringComparer.Ordinal),
            new TraitShares(Portrait.TagShares([.. segmentSample.Select(v => v.Tags)]), Portrait.TagShares([.. workspaceSample.Select(v => v.Tags)])),
            segmentSample.Count,
            workspaceSample.Count);
    }

    /// <summary>An even random sample of at most <see cref="SegmentInsight.SampleSize"/> of the keys a pager lists (reservoir sampling).</summary>
    private static async Task<List<string>> Sample(Func<string?, int, Task<IReadOnlyList<string>>> page)
    {
        var sample = new List<string>(SegmentInsight.SampleSize);
        long seen = 0;
        string? after = null;
        IReadOnlyList<string> keys;
        do
        {
            keys = await page(after, KeyPage);
            foreach (var key in keys)
            {
                seen++;
                if (sample.Count < SegmentInsight.SampleSize)
                {
                    sample.Add(key);
                }
                else if (Random.Shared.NextInt64(seen) is var slot && slot < SegmentInsight.SampleSize)
                {
                    sample[(int)slot] = key;
                }
            }

            after = keys.Count > 0 ? keys[^1] : null;
        }
        while (keys.Count == KeyPage);

        return sample;
    }

    /// <summary>The profiles of <paramref name="keys"/>; a key merged into another (whose profile is its survivor's) is left out.</summary>
    private async Task<List<CustomerView>> Profiles(string workspace, List<string> keys)
    {
        var views = new CustomerView?[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, TaskScheduler = TaskScheduler.Current }, async (i, _) =>
            views[i] = await GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Grain(workspace, keys[i])).Describe());
        return [.. views.Where((v, i) => v is not null && v.Key == keys[i]).Cast<CustomerView>()];
    }

    private ISegmentLibraryGrain Library(string workspace) => GrainFactory.GetGrain<ISegmentLibraryGrain>(workspace);
}
