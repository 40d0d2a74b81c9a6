namespace Hyper.Core.WebSockets;

// The closed family of events a WebSocketConnection gives its owner. Payloads are copies the receiver may keep.

/// <summary>Something the WebSocket protocol tells its owner (the stream layer).</summary>
internal abstract record WebSocketEvent;

/// <summary>A complete data message (text is valid UTF-8, RFC 6455 §8.1). Given when fragments are not streamed.</summary>
internal sealed record WebSocketMessageReceived(bool IsText, ReadOnlyMemory<byte> Payload) : WebSocketEvent;

/// <summary>
/// One frame's worth of a data message, when fragments are streamed. UTF-8 is validated across fragments, but a
/// text fragment may end inside a character; <see cref="EndOfMessage"/> marks the last one.
/// </summary>
internal sealed record WebSocketFragmentReceived(bool IsText, ReadOnlyMemory<byte> Data, bool EndOfMessage) : WebSocketEvent;

/// <summary>A Ping arrived; the Pong is already queued (see <see cref="WebSocketConnection.WritePendingOutput"/>).</summary>
internal sealed record WebSocketPingReceived(ReadOnlyMemory<byte> Payload) : WebSocketEvent;

/// <summary>A Pong arrived (an answer to a server ping, or unsolicited, RFC 6455 §5.5.3).</summary>
internal sealed record WebSocketPongReceived(ReadOnlyMemory<byte> Payload) : WebSocketEvent;

/// <summary>The peer's Close frame arrived, valid. <see cref="Code"/> is 1005 when it carried no code.</summary>
internal sealed record WebSocketCloseReceived(int Code, string Reason) : WebSocketEvent;

/// <summary>
/// The WebSocket is over: the close handshake completed, the connection was failed, or a timer ran out. The
/// owner writes the pending output (a final Close frame, if any) and then closes the transport; the server
/// closes the TCP connection first (RFC 6455 §7.1.1). <see cref="Code"/> is what the application is told:
/// the peer's code after a clean close, the code sent when this side failed the connection, 1006 otherwise.
/// </summary>
internal sealed record WebSocketClosed(int Code, string Reason) : WebSocketEvent;
