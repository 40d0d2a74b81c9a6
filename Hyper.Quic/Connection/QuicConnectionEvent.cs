using Hyper.Quic.Packets;

namespace Hyper.Quic.Connection;

/// <summary>What a <see cref="QuicConnection"/> tells the application and the endpoint that routes its datagrams.</summary>
public abstract record QuicConnectionEvent;

/// <summary>The handshake completed and is confirmed (RFC 9001 §4.1.1, §4.1.2): streams may be used.</summary>
public sealed record ConnectionEstablished(string ApplicationProtocol, string? ServerName) : QuicConnectionEvent;

/// <summary>New bytes, or the end of the stream, can be read from <paramref name="StreamId"/>.</summary>
public sealed record StreamDataAvailable(ulong StreamId) : QuicConnectionEvent;

/// <summary>The peer abandoned its sending side of the stream with RESET_STREAM (RFC 9000 §19.4).</summary>
public sealed record StreamResetByPeer(ulong StreamId, ulong ApplicationErrorCode) : QuicConnectionEvent;

/// <summary>The peer asked us to stop sending with STOP_SENDING (RFC 9000 §19.5); our side was reset with its code.</summary>
public sealed record StreamStopSendingRequested(ulong StreamId, ulong ApplicationErrorCode) : QuicConnectionEvent;

/// <summary>More stream or connection credit arrived: writes that were held back can go out.</summary>
public sealed record StreamWritable(ulong StreamId) : QuicConnectionEvent;

/// <summary>The endpoint must route datagrams carrying this connection ID to this connection.</summary>
public sealed record ConnectionIdIssued(ConnectionId ConnectionId) : QuicConnectionEvent;

/// <summary>The endpoint can stop routing this connection ID (RFC 9000 §5.1.2).</summary>
public sealed record ConnectionIdRetired(ConnectionId ConnectionId) : QuicConnectionEvent;

/// <summary>
/// The connection is over: closed by either side, by an error, or by the idle timeout. After this the connection sends
/// nothing and can be forgotten.
/// </summary>
public sealed record ConnectionTerminated(ulong ErrorCode, bool IsApplicationError, bool ClosedByPeer, bool IdleTimeout, string Reason) : QuicConnectionEvent;
