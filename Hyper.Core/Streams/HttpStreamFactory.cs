using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

/// <summary>The ASGI HTTP stream: serves every request head, so it comes last in a connection's factory list.</summary>
internal sealed class HttpStreamFactory : IStreamHandlerFactory
{
    public static readonly HttpStreamFactory Instance = new();

    public IStreamHandler TryCreate(IStreamConnection connection, long streamId, RequestHead head, IStreamHandler? spare) =>
        spare is HttpStream stream && stream.TryReuse(streamId, head) ? stream : new HttpStream(connection, streamId, head);
}
