namespace Hyper.Core.Protocols;

// The closed family of outputs an IQuicStreamProtocol gives the code that owns its QUIC connection.

/// <summary>Something an <see cref="IQuicStreamProtocol"/> asks its QUIC connection to do.</summary>
public abstract record QuicStreamAction;

/// <summary>
/// Write <see cref="Data"/> on the stream, then its FIN when <see cref="Fin"/>. A server-initiated unidirectional id
/// the transport has not opened yet is the next one it opens: HTTP/3 names its control and QPACK streams 3, 7 and 11,
/// the ids QUIC gives the first three (RFC 9000 §2.1).
/// </summary>
public sealed record SendStreamData(long StreamId, ReadOnlyMemory<byte> Data, bool Fin) : QuicStreamAction;

/// <summary>Abandon our sending side of the stream with RESET_STREAM and this application error code.</summary>
public sealed record ResetSendingStream(long StreamId, long ErrorCode) : QuicStreamAction;

/// <summary>Ask the peer to stop sending on the stream with STOP_SENDING and this application error code.</summary>
public sealed record StopReceivingStream(long StreamId, long ErrorCode) : QuicStreamAction;

/// <summary>
/// The protocol takes input on this stream again: feed it the bytes it left unconsumed
/// (<see cref="IQuicStreamProtocol.ReceiveStreamData"/>) and read the stream from QUIC again.
/// </summary>
public sealed record ResumeStreamInput(long StreamId) : QuicStreamAction;

/// <summary>Close the QUIC connection with CONNECTION_CLOSE carrying this application error code (RFC 9000 §19.19).</summary>
public sealed record CloseQuicConnection(long ErrorCode, string Reason) : QuicStreamAction;
