using Hyper.Core.Application;

namespace Hyper.Core.WebSockets;

/// <summary>
/// The verdict on a WebSocket opening request. Accepted: <see cref="Status"/> is 101 (HTTP/1.1 Upgrade) or 200
/// (RFC 8441 extended CONNECT) and <see cref="ResponseHeaders"/> are the headers the acceptance must carry
/// (the application's chosen subprotocol is added by the stream layer). Refused: <see cref="Status"/> is the
/// error status, with <see cref="ResponseHeaders"/> it needs (426 carries Sec-WebSocket-Version: 13).
/// </summary>
internal sealed record WebSocketHandshakeResult(
    int Status,
    string? Error,
    IReadOnlyList<HeaderField> ResponseHeaders,
    IReadOnlyList<string> Subprotocols,
    PerMessageDeflateParameters? Compression)
{
    public bool IsAccepted => Status is 101 or 200;

    internal static WebSocketHandshakeResult Refuse(int status, string error, params HeaderField[] headers) =>
        new(status, error, headers, [], null);
}
