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
    private int _running;

    public ConcurrencyLimitMiddleware(AsgiApplication app, int limit)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _app = app;
        _limit = limit;
    }

    /// <summary>The wrapped application, to serve.</summary>
    public static AsgiApplication Wrap(AsgiApplication app, int limit) => new ConcurrencyLimitMiddleware(app, limit).InvokeAsync;

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
