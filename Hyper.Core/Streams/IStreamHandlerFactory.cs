using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

/// <summary>
/// Makes the handler for a new request stream. The connection asks its factories in order and takes the first
/// handler it gets, so a specific kind (a WebSocket handshake, say) is listed before the catch-all ASGI HTTP stream.
/// A new kind of stream is a new factory in that list: no connection code changes.
/// </summary>
public interface IStreamHandlerFactory
{
    /// <summary>
    /// Returns a handler for the request <paramref name="head"/> on stream <paramref name="streamId"/>, or null when
    /// this factory does not serve such requests. <paramref name="spare"/> is a handler of the connection whose work
    /// has finished; a factory may reset and return it instead of allocating (when it is one of its own kind).
    /// </summary>
    IStreamHandler? TryCreate(IStreamConnection connection, long streamId, RequestHead head, IStreamHandler? spare);
}
