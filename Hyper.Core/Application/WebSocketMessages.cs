namespace Hyper.Core.Application;

// The closed family of ASGI WebSocket 2.4 messages (https://asgi.readthedocs.io/en/latest/specs/www.html#websocket),
// with the denial response extension (websocket.http.response.*).

/// <summary><c>websocket.connect</c>: the client asks to open the WebSocket; answer with accept, close or a denial response.</summary>
public sealed record WebSocketConnect : AsgiMessage
{
    public static readonly WebSocketConnect Instance = new();
    public override string Type => "websocket.connect";
}

/// <summary>
/// <c>websocket.accept</c>: opens the WebSocket, with the chosen <see cref="Subprotocol"/> (one the client offered)
/// and extra response <see cref="Headers"/>.
/// </summary>
public sealed record WebSocketAccept(string? Subprotocol = null, IReadOnlyList<HeaderField>? Headers = null) : AsgiMessage
{
    public static readonly WebSocketAccept Plain = new();
    public override string Type => "websocket.accept";
}

/// <summary><c>websocket.receive</c>: one whole message from the client; exactly one of <see cref="Text"/> and <see cref="Bytes"/> is set.</summary>
public sealed record WebSocketReceive(string? Text, ReadOnlyMemory<byte>? Bytes) : AsgiMessage
{
    public override string Type => "websocket.receive";
}

/// <summary><c>websocket.send</c>: one whole message to the client; set exactly one of <see cref="Text"/> and <see cref="Bytes"/>.</summary>
public sealed record WebSocketSend(string? Text = null, ReadOnlyMemory<byte>? Bytes = null) : AsgiMessage
{
    public override string Type => "websocket.send";
}

/// <summary>
/// <c>websocket.disconnect</c>: the WebSocket is closed. <see cref="Code"/> is the client's close code after a
/// clean close, the code the server closed with when the client broke the protocol, 1006 when the connection was
/// lost without a close handshake.
/// </summary>
public sealed record WebSocketDisconnect(int Code, string? Reason = null) : AsgiMessage
{
    public override string Type => "websocket.disconnect";
}

/// <summary>
/// <c>websocket.close</c>: closes the WebSocket with <see cref="Code"/> and <see cref="Reason"/> (at most 123 bytes
/// of UTF-8); before <c>websocket.accept</c> it refuses the handshake with 403.
/// </summary>
public sealed record WebSocketClose(int Code = 1000, string? Reason = null) : AsgiMessage
{
    public override string Type => "websocket.close";
}

/// <summary>
/// <c>websocket.http.response.start</c> (denial response extension): instead of accepting, answer the handshake with
/// an ordinary HTTP response; its body follows in <see cref="WebSocketHttpResponseBody"/> messages.
/// </summary>
public sealed record WebSocketHttpResponseStart(int Status, IReadOnlyList<HeaderField> Headers) : AsgiMessage
{
    public override string Type => "websocket.http.response.start";
}

/// <summary><c>websocket.http.response.body</c> (denial response extension): a chunk of the denial response's body.</summary>
public sealed record WebSocketHttpResponseBody(ReadOnlyMemory<byte> Body, bool MoreBody = false) : AsgiMessage
{
    public override string Type => "websocket.http.response.body";
}
