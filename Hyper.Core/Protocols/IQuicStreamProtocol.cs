namespace Hyper.Core.Protocols;

/// <summary>
/// A multiplexed protocol that runs over a QUIC connection's streams (HTTP/3) instead of one byte pipe. The request
/// side (events, response commands, handler accounting) is the <see cref="IMultiplexedStreamProtocol"/> contract every
/// HTTP version shares, so the stream layer serves it unchanged; only input and output differ:
/// <list type="bullet">
/// <item>input arrives per stream, with its FIN, resets and STOP_SENDING, through the methods below, never through
/// <see cref="IStreamProtocol.Receive"/>;</item>
/// <item>output leaves as <see cref="QuicStreamAction"/>s (bytes for a stream id, resets, a connection close), taken
/// with <see cref="TryDequeueStreamAction"/>. The <c>IBufferWriter</c> the shared commands take is not written to.</item>
/// </list>
/// Like every protocol it is sans-IO: one owner serialises the calls and time arrives as <c>now</c>.
/// </summary>
public interface IQuicStreamProtocol : IMultiplexedStreamProtocol
{
    /// <summary>The QUIC handshake is complete: the protocol opens its own streams (HTTP/3's control and QPACK streams).</summary>
    void ConnectionEstablished(long now);

    /// <summary>
    /// Feeds in-order bytes of one stream, with <paramref name="fin"/> when they run to its end. Returns how many were
    /// consumed. When that is fewer than offered, the caller keeps the rest (and the FIN) and stops reading that stream
    /// from QUIC, so QUIC flow control holds the peer back; it feeds them again, with anything new appended, once a
    /// <see cref="ResumeStreamInput"/> names the stream.
    /// </summary>
    int ReceiveStreamData(long streamId, ReadOnlyMemory<byte> data, bool fin, long now);

    /// <summary>The peer abandoned its sending side of the stream (RESET_STREAM, RFC 9000 §19.4).</summary>
    void ReceiveStreamReset(long streamId, long errorCode, long now);

    /// <summary>The peer asked us to stop sending on the stream (STOP_SENDING, RFC 9000 §19.5); QUIC has reset our side.</summary>
    void ReceiveStopSending(long streamId, long errorCode, long now);

    /// <summary>Takes the next thing to do on the QUIC connection, in the order the protocol decided it.</summary>
    bool TryDequeueStreamAction(out QuicStreamAction? action);
}
