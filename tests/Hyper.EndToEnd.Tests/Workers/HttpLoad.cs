using System.Collections.Concurrent;

namespace Hyper.EndToEnd.Tests.Workers;

/// <summary>
/// A steady HttpClient load: <see cref="Concurrency"/> loops, each sending GET requests one after another on a shared
/// keep-alive pool until stopped. Counts what succeeded (200 with the expected body) and keeps what failed, so a test
/// can bound failures by what was in flight.
/// </summary>
internal sealed class HttpLoad : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task[] _loops;
    private long _succeeded;

    private HttpLoad(Uri uri, int concurrency, string expectedBody)
    {
        Concurrency = concurrency;
        _client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => LoopAsync(uri, expectedBody))).ToArray();
    }

    public int Concurrency { get; }

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyList<string> Failures => [.. _failures];

    public static HttpLoad Start(int port, int concurrency = 4, string path = "/", string expectedBody = "Hello, World!") =>
        new(new Uri($"http://127.0.0.1:{port}{path}"), concurrency, expectedBody);

    /// <summary>Waits until <paramref name="more"/> further requests have succeeded (the server is being exercised).</summary>
    public async Task WaitForSuccessesAsync(long more, TimeSpan timeout)
    {
        var target = Succeeded + more;
        using var deadline = new CancellationTokenSource(timeout);
        while (Succeeded < target)
        {
            if (deadline.IsCancellationRequested)
                throw new TimeoutException($"only {Succeeded} requests succeeded; failures: {string.Join(" | ", Failures.Take(5))}");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops the loops; requests in flight finish first.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    private async Task LoopAsync(Uri uri, string expectedBody)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _client.GetAsync(uri);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode == 200 && body == expectedBody) Interlocked.Increment(ref _succeeded);
                else _failures.Enqueue($"{(int)response.StatusCode} {body}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }
}
