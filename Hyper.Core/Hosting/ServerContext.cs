using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Http;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Hosting;

/// <summary>What every connection of one server shares: options, the application, logs, the clock.</summary>
public sealed class ServerContext
{
    private static readonly byte[] ServerName = "server"u8.ToArray();
    private static readonly byte[] ServerValue = "hyper"u8.ToArray();
    private long _requestCount;

    internal ServerContext(HyperOptions options, AsgiApplication app, ProtocolRegistry protocols, IAccessLog accessLog, ILogger logger, TimeProvider time)
    {
        Protocols = protocols;
        Options = options;
        App = app;
        AccessLog = accessLog;
        Logger = logger;
        Time = time;
        DateHeader = new DateHeaderCache(time);
        ServerNames = options.ServerNames.Select(n => System.Text.Encoding.ASCII.GetBytes(n)).ToArray();
        WebSocketAdmission = new Hyper.Core.Streams.WebSocketAdmission(options.WebSockets.MaxConnections);
    }

    public HyperOptions Options { get; }
    public AsgiApplication App { get; }

    /// <summary>The protocols the server speaks; the driver asks it which <c>Upgrade</c> tokens it can honour.</summary>
    public ProtocolRegistry Protocols { get; }
    public IAccessLog AccessLog { get; }

    /// <summary>The server's instruments (docs/metrics.md); every recording is skipped cheaply when nobody listens.</summary>
    public Diagnostics.HyperMetrics Metrics { get; init; } = Diagnostics.HyperMetrics.Fallback;
    public ILogger Logger { get; }
    public TimeProvider Time { get; }
    internal DateHeaderCache DateHeader { get; }

    /// <summary>The <c>server_names</c> option as bytes, compared against Host / :authority.</summary>
    internal byte[][] ServerNames { get; }

    /// <summary>
    /// Cancelled when graceful shutdown begins. Streams that outlive a response (a WebSocket) learn from it that they
    /// should close (1001 Going Away) within the graceful timeout.
    /// </summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>The lifespan <c>state</c>, copied into each request's scope.</summary>
    public Dictionary<string, object?> LifespanState { get; } = new();

    /// <summary>HTTP requests started on this server (read by a worker process for <c>max_requests</c>).</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Open WebSocket sessions against <c>websocket_max_connections</c>.</summary>
    internal Hyper.Core.Streams.WebSocketAdmission WebSocketAdmission { get; }

    public void CountRequest() => Interlocked.Increment(ref _requestCount);

    public HeaderField ServerHeader { get; } = new(ServerName, ServerValue);

    /// <summary>
    /// The kinds of request stream, asked in order for each request head; the ASGI HTTP stream serves all, so it
    /// comes last. A new kind (a WebSocket session, an ASP.NET Core request) is one more factory before it.
    /// </summary>
    internal IReadOnlyList<Streams.IStreamHandlerFactory> StreamHandlers { get; init; } = BuiltInStreamHandlers;

    /// <summary>The kinds Hyper serves itself, the catch-all last; a host's own kinds go before them.</summary>
    internal static readonly IReadOnlyList<Streams.IStreamHandlerFactory> BuiltInStreamHandlers =
        [Streams.WebSocketStreamFactory.Instance, Streams.HttpStreamFactory.Instance];
}
