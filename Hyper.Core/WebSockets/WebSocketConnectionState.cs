namespace Hyper.Core.WebSockets;

/// <summary>Where a WebSocket is in its life (RFC 6455 §7): open, waiting for the peer's Close, or finished.</summary>
internal enum WebSocketConnectionState
{
    /// <summary>Messages flow both ways.</summary>
    Open,

    /// <summary>This side sent Close and waits (with a deadline) for the peer's; nothing more may be sent.</summary>
    CloseSent,

    /// <summary>Over; received bytes are ignored and nothing may be sent.</summary>
    Closed,
}
