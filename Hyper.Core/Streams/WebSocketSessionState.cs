namespace Hyper.Core.Streams;

/// <summary>Where a WebSocket stream is in the ASGI WebSocket state machine (as the server sees it).</summary>
internal enum WebSocketSessionState
{
    /// <summary>The handshake is valid; the application has not answered <c>websocket.connect</c> yet.</summary>
    Handshake,

    /// <summary>The application started a denial response (<c>websocket.http.response.start</c>); its body follows.</summary>
    Denying,

    /// <summary>Accepted: the WebSocket is open (or closing: the connection's own state says which).</summary>
    Open,

    /// <summary>Over: the HTTP answer is complete, or the WebSocket closed and its transport ended.</summary>
    Done,
}
