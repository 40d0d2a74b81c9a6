namespace Hyper.Core.WebSockets;

/// <summary>
/// The peer broke RFC 6455 or RFC 7692 (or a configured limit): the connection is failed with
/// <see cref="CloseStatus"/> in the Close frame the server sends (RFC 6455 §7.1.7).
/// </summary>
internal sealed class WebSocketProtocolException(int closeStatus, string message) : Exception(message)
{
    /// <summary>The code for the Close frame, e.g. 1002 (protocol error), 1007 (invalid data), 1009 (too big).</summary>
    public int CloseStatus { get; } = closeStatus;
}
