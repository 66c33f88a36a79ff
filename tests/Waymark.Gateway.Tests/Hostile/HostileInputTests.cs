using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Testing;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>
/// Thousands of generated malformed or oversized requests over every endpoint the gateway maps (issue 9, item 4), over
/// a real socket to the single node, each with a key of the role the endpoint asks for so that it reaches validation:
/// no 5xx, every refusal problem details (naming the field at fault where one field was broken), and nothing changed.
/// A 2xx is allowed only where nothing can change: a GET (reads ignore what they do not know) or journey validation;
/// the state snapshot holds them to it. <c>WAYMARK_HOSTILE_SEED</c> picks another seed (a failure prints the one it
/// ran with); <c>WAYMARK_HOSTILE_REQUESTS</c> asks for more requests than the default 10,000.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultSeed = 20_240_901;
    private const int DefaultRequests = 10_000;

    /// <summary>Requests in flight at once: enough to keep two cores busy, few enough to leave the host responsive.</summary>
    private const int Concurrency = 4;

    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task Ten_thousand_hostile_requests_over_every_endpoint_are_refused_as_problems_and_change_nothing()
    {
        var seed = Setting("WAYMARK_HOSTILE_SEED", DefaultSeed);
        var total = Setting("WAYMARK_HOSTILE_REQUESTS", DefaultRequests);
        await using var host = new GatewayHost(data.Path);
        host.UseKestrel(FreePort.Next());
        var (writeKey, adminKey) = host.BootstrapKeys();
        var address = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        using var http = new HttpClient { BaseAddress = address };
        var workspace = await HostileWorkspace.CreateAsync(http, writeKey, adminKey);
        var endpoints = await HostileEndpoint.DiscoverAsync(host.Services);
        var samples = EndpointSamples.ForWorkspace(workspace);
        Assert.Empty(endpoints.Where(e => e.Body is not null && samples.GetValueOrDefault(e.Name)?.Body is null).Select(e => $"{e.Name} binds a body but has no valid sample in EndpointSamples"));

        var generator = new HostileGenerator(seed, workspace, endpoints, samples);
        var requests = generator.Generate(total);
        var before = await StateSnapshot.TakeAsync(host.DataFile, workspace);
        var clock = Stopwatch.StartNew();
        using var client = new HostileClient(address, samples);
        var verdicts = new HostileVerdict[requests.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, requests.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (i, _) => verdicts[i] = await client.SendAsync(requests[i]));
        Report(seed, verdicts, endpoints.Count, clock.Elapsed);
        var after = await StateSnapshot.TakeAsync(host.DataFile, workspace);

        Assert.True(requests.Count >= total, $"{requests.Count} requests generated, {total} asked for");
        Assert.Equal(MappedEndpoints(host.Services), requests.Select(r => r.Endpoint.Name).Distinct().Count());
        var failures = verdicts.Where(v => v.Failure is not null).ToList();
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {verdicts.Length} answers are wrong; the first ones:\n"
            + string.Join("\n\n", failures.Take(40).Select(f => $"{f.Failure}\n  {f.Request}")));
        var changes = before.Differences(after);
        Assert.True(changes.Count == 0, $"seed {seed}: the hostile requests changed state:\n" + string.Join("\n", changes));

        // Each body was broken in one place only: the request it was made from is well-formed (sent last, as it may change state).
        foreach (var endpoint in endpoints.Where(e => e.Body is not null))
        {
            var verdict = await client.SendAsync(generator.Valid(endpoint));
            Assert.True(verdict.Status is not (0 or 400 or 413 or 415), $"the valid sample of {endpoint.Name} answered {verdict.Status}: {verdict.Failure}");
        }
    }

    /// <summary>Every method of every route the gateway maps, counted apart from the generator's own discovery.</summary>
    private static int MappedEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Sum(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Count ?? 1);

    /// <summary>How many requests of each family got which answer, for the record (docs/reliability.md).</summary>
    private void Report(int seed, HostileVerdict[] verdicts, int endpoints, TimeSpan elapsed)
    {
        output.WriteLine($"seed {seed}: {verdicts.Length} requests over {endpoints} endpoints in {elapsed.TotalSeconds:0.0} s");
        foreach (var family in verdicts.GroupBy(v => v.Request.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = family.GroupBy(v => v.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
            output.WriteLine($"  {family.Key,-16} {family.Count(),6}  {string.Join(" ", statuses)}");
        }
    }

    private static int Setting(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
