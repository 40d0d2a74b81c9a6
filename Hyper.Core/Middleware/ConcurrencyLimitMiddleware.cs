using Hyper.Core.Application;

namespace Hyper.Core.Middleware;

/// <summary>
/// The <c>limit_concurrency</c> option (Uvicorn's <c>--limit-concurrency</c>; Hypercorn has none): at most
/// <c>limit</c> HTTP requests run in the application at once; one beyond it is answered <c>503 Service Unavailable</c>
/// at once instead of queueing, so an overloaded server sheds load with a clear answer (RFC 9110 §15.6.4) while the
/// requests it took finish. Other scope types pass through. With worker processes the limit is per worker.
/// </summary>
public sealed class ConcurrencyLimitMiddleware
{
    private static readonly HttpResponseStart Unavailable = new(503,
    [
        HeaderField.Of("content-type", "text/plain; charset=utf-8"),
        HeaderField.Of("content-length", "19"),
    ]);
    private static readonly HttpResponseBody UnavailableBody = new("Service Unavailable"u8.ToArray());

    private readonly AsgiApplication _app;
    private readonly int _limit;
    private readonly Diagnostics.HyperMetrics? _metrics;
    private int _running;

    /// <param name="metrics">Where a refusal is counted (<c>hyper.server.rejected_requests</c>, reason <c>concurrency_limit</c>); null counts nothing.</param>
    public ConcurrencyLimitMiddleware(AsgiApplication app, int limit, Diagnostics.HyperMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _app = app;
        _limit = limit;
        _metrics = metrics;
    }

    /// <summary>The wrapped application, to serve.</summary>
    public static AsgiApplication Wrap(AsgiApplication app, int limit, Diagnostics.HyperMetrics? metrics = null) =>
        new ConcurrencyLimitMiddleware(app, limit, metrics).InvokeAsync;

    /// <summary>Requests in the application right now.</summary>
    public int Running => Volatile.Read(ref _running);

    public async ValueTask InvokeAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope)
        {
            await _app(scope, receive, send);
            return;
        }
        // Take a slot first and give it back when that went over: no lock on the request path.
        if (Interlocked.Increment(ref _running) > _limit)
        {
            Interlocked.Decrement(ref _running);
            _metrics?.RequestRejected(503);
            await send(Unavailable);
            await send(UnavailableBody);
            return;
        }
        try
        {
            await _app(scope, receive, send);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
