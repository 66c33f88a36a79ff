using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Waymark.Bench.Common;
using Waymark.Testing;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// The HTTP ceiling of this machine: Kestrel answering <c>GET /plaintext</c> with "Hello, World!" (the TechEmpower
/// plaintext test, without its pipelining), in this process, driven by the same client with as many requests in flight
/// as the ingestion load. Its requests/s is the most any endpoint could answer here with this client.
/// </summary>
internal sealed class PlaintextBaseline : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient client;
    private readonly int concurrency;

    private PlaintextBaseline(WebApplication app, Uri baseAddress, int concurrency)
    {
        this.app = app;
        this.concurrency = concurrency;
        client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseAddress };
    }

    public static async Task<PlaintextBaseline> StartAsync(int concurrency)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/plaintext", () => Results.Text("Hello, World!"));
        await app.StartAsync();
        return new PlaintextBaseline(app, new Uri($"http://127.0.0.1:{port}"), concurrency);
    }

    /// <summary>Requests answered 200 in <paramref name="duration"/>, as events of a <see cref="LoadResult"/>.</summary>
    public async Task<LoadResult> RunAsync(TimeSpan duration)
    {
        var cpu = CpuMeter.Start();
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            long answered = 0;
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                using var response = await client.GetAsync(new Uri("/plaintext", UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                answered += response.IsSuccessStatusCode ? 1 : 0;
            }

            return answered;
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LoadResult(counts.Sum(), elapsed, cpu.Stop(elapsed));
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }
}
