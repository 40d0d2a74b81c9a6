using System.Buffers;

namespace Hyper.Core.Protocols;

/// <summary>
/// A protocol that carries many requests at once over one connection (HTTP/2, later HTTP/3). The driver reads
/// continuously, runs each request's application as its own task, and uses these commands for what a
/// one-request-at-a-time protocol gets from TCP itself: flow control in both directions, and knowing when a
/// handler is done so concurrency is counted in application work (docs/security.md B1, principle 2).
/// </summary>
public interface IMultiplexedStreamProtocol : IStreamProtocol
{
    /// <summary>
    /// The application has taken <paramref name="bytes"/> of request body off this stream: the protocol may reopen
    /// the peer's flow-control window by that much (RFC 9113 §6.9). Unread bytes hold the window shut, so a
    /// handler that does not read bounds what the peer can make the server buffer.
    /// </summary>
    void RequestBodyConsumed(long streamId, int bytes, long now, IBufferWriter<byte> output);

    /// <summary>
    /// Response bytes accepted by <see cref="IStreamProtocol.SendBody"/> but still held behind the peer's window.
    /// The stream layer waits (for <see cref="StreamWritable"/>) while this is above its buffer limit.
    /// </summary>
    long GetBufferedResponseBytes(long streamId);

    /// <summary>
    /// The stream's handler has returned. Until then the stream keeps its place in the concurrency count, even when
    /// it was reset (Rapid Reset, MadeYouReset: docs/security.md H2-11, H2-13).
    /// </summary>
    void HandlerCompleted(long streamId, IBufferWriter<byte> output);

    /// <summary>True while the peer accepts server push on this connection (HTTP/2 SETTINGS_ENABLE_PUSH).</summary>
    bool PushAllowed { get; }

    /// <summary>
    /// Promises <paramref name="request"/> on <paramref name="streamId"/> (HTTP/2 PUSH_PROMISE, RFC 9113 §8.4) and
    /// queues a <see cref="RequestReceived"/> for the promised stream, whose response the application then produces.
    /// Returns the promised stream id, or 0 when the push is not possible now (not allowed, limits, stream closing).
    /// </summary>
    long Push(long streamId, RequestHead request, long now, IBufferWriter<byte> output);
}
