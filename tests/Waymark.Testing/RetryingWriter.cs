using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Waymark.Testing;

/// <summary>
/// An ingestion client that behaves as a Segment SDK's retry queue does: it sends a call with the write key and, while
/// the gateway is down, restarting or answering an error, sends the very same body again (same message ids) until it
/// is answered 200. A 400 or 413 is the test's own mistake and fails at once. It counts what it met on the way, so a
/// crash drill can show that requests really did fail and were retried.
/// </summary>
public sealed class RetryingWriter : IDisposable
{
    private readonly HttpClient client;
    private readonly ConcurrentDictionary<string, int> failures = new(StringComparer.Ordinal);
    private int acknowledged;
    private int retried;

    public RetryingWriter(Uri baseAddress, string writeKey)
    {
        // Short-lived pooled connections: after a kill, the pool's sockets to the dead process fail once and are replaced.
        client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
    }

    /// <summary>How long one call is retried before the drill fails.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Calls answered 200.</summary>
    public int Acknowledged => Volatile.Read(ref acknowledged);

    /// <summary>Attempts that were not answered 200 and were sent again.</summary>
    public int Retried => Volatile.Read(ref retried);

    /// <summary>What the failed attempts met: a status code or an exception type, with how often.</summary>
    public IReadOnlyDictionary<string, int> Failures => failures;

    /// <summary>Posts <paramref name="json"/> to <paramref name="path"/> (such as <c>/v1/track</c>) until it is answered 200; returns the attempts it took.</summary>
    public async Task<int> SendAsync(string path, string json)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref acknowledged);
                    return attempt;
                }

                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
                {
                    throw new InvalidOperationException($"{path} refused a request for good: {(int)response.StatusCode} {body}");
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                failure = e.GetType().Name;
            }

            failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
            if (DateTime.UtcNow - started > GiveUpAfter)
            {
                throw new TimeoutException($"{path} was not acknowledged within {GiveUpAfter} ({attempt} attempts, last: {failure}).");
            }

            Interlocked.Increment(ref retried);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt)));
        }
    }

    public void Dispose() => client.Dispose();
}
