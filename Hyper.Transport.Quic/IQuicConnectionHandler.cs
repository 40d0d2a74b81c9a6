using Hyper.Quic.Connection;

namespace Hyper.Transport.Quic;

/// <summary>
/// What the host tells the application about one established connection. Calls for all connections of one socket
/// are serial (never two at once), so a handler needs no lock of its own; it must not block, since on the
/// single-thread-loop backend it runs on the loop thread. Within a call it uses its <see cref="IQuicConnectionContext"/>
/// directly; work it finishes later goes through <see cref="IQuicConnectionContext.Invoke"/>. What it writes is sent
/// when the call returns.
/// </summary>
public interface IQuicConnectionHandler
{
    /// <summary>Bytes, or the end of the stream, can be read from <paramref name="streamId"/> (opened by the peer or by us).</summary>
    void OnStreamReadable(ulong streamId);

    /// <summary>The peer abandoned its side of the stream with RESET_STREAM (RFC 9000 §19.4).</summary>
    void OnStreamReset(ulong streamId, ulong applicationErrorCode);

    /// <summary>The peer asked us to stop sending with STOP_SENDING (RFC 9000 §19.5); our side is already reset.</summary>
    void OnStopSending(ulong streamId, ulong applicationErrorCode);

    /// <summary>Flow control credit arrived: data held back on the stream can go now.</summary>
    void OnStreamWritable(ulong streamId);

    /// <summary>The connection is over (closed by either side, an error, the idle timeout or the server stopping); the last call.</summary>
    void OnClosed(ConnectionTerminated reason);
}
