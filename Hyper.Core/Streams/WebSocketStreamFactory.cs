using Hyper.Core.Protocols;
using Hyper.Core.WebSockets;

namespace Hyper.Core.Streams;

/// <summary>
/// The WebSocket stream kind: takes every request that asks for a WebSocket — HTTP/1.1 with <c>Upgrade: websocket</c>
/// (RFC 6455 §4.1) or an extended CONNECT with <c>:protocol</c> websocket (RFC 8441 §4) — and leaves the rest to
/// the factories after it. A request that asks but is malformed is still this kind's: it is refused with the status
/// RFC 6455 names (400, 426, 403), not served as plain HTTP.
/// </summary>
internal sealed class WebSocketStreamFactory : IStreamHandlerFactory
{
    public static readonly WebSocketStreamFactory Instance = new();

    public IStreamHandler? TryCreate(IStreamConnection connection, long streamId, RequestHead head, IStreamHandler? spare) =>
        IsWebSocketRequest(head) ? new WebSocketStream(connection, streamId, head) : null;

    public static bool IsWebSocketRequest(RequestHead head) =>
        head.Protocol is { } protocol
            ? head.Method == "CONNECT" && string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase)
            : head.HttpVersion is "1.1" or "1.0" && WebSocketHandshake.IsUpgradeRequest(head);
}
