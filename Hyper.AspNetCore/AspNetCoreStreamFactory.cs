using System.Runtime.CompilerServices;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore;

/// <summary>
/// The ASP.NET Core stream kind: serves every request head with the hosted application, so on a server that hosts an
/// ASP.NET Core application it comes first and the built-in ASGI stream is never asked.
/// </summary>
internal sealed class AspNetCoreStreamFactory(HostedApplication application, long? maxRequestBodySize, ILogger logger) : IStreamHandlerFactory
{
    private readonly ConditionalWeakTable<IStreamConnection, string> _connectionIds = new();
    private long _lastConnectionId;

    public HostedApplication Application { get; } = application;

    /// <summary>The default request body limit (<c>IHttpMaxRequestBodySizeFeature</c> may change it per request); null: none.</summary>
    public long? MaxRequestBodySize { get; } = maxRequestBodySize;

    public ILogger Logger { get; } = logger;

    public IStreamHandler TryCreate(IStreamConnection connection, long streamId, RequestHead head, IStreamHandler? spare) =>
        new AspNetCoreStream(connection, this, streamId, head);

    /// <summary>A short id for <paramref name="connection"/>, the same for each of its requests (IHttpConnectionFeature.ConnectionId).</summary>
    public string ConnectionId(IStreamConnection connection) =>
        _connectionIds.GetValue(connection, _ => Interlocked.Increment(ref _lastConnectionId).ToString("X13", System.Globalization.CultureInfo.InvariantCulture));
}
