namespace Hyper.Core.Application;

/// <summary>
/// Raised by <c>send</c> when the client has gone away (ASGI 2.4: "the server should raise a
/// server-specific subclass of OSError"). An application may catch it to stop streaming.
/// </summary>
public sealed class ClientDisconnectedException : IOException
{
    public ClientDisconnectedException() : base("The client disconnected.") { }
    public ClientDisconnectedException(string message) : base(message) { }
}
