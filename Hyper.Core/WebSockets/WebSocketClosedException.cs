namespace Hyper.Core.WebSockets;

/// <summary>
/// A message or control frame was to be sent after this side sent its Close frame (RFC 6455 §5.5.1: no data
/// frames after Close). The stream layer turns it into ASGI's "send after close" error.
/// </summary>
internal sealed class WebSocketClosedException(string message) : InvalidOperationException(message);
