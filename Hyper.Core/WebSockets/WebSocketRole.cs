namespace Hyper.Core.WebSockets;

/// <summary>
/// Which end of the connection this is. Masking depends on it (RFC 6455 §5.1, §5.3): a client masks every
/// frame it sends and a server none, and each side fails a frame masked the wrong way.
/// </summary>
internal enum WebSocketRole
{
    Server,
    Client,
}
