namespace Waymark.Gateway.Tests.Runtime;

/// <summary>Waits for an outcome rather than for a clock: waits and flushes are real time here, so tests poll.</summary>
internal static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds or 30 s have passed, and returns the last value read (for the test's own asserts).</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value) || timeout.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }
}
