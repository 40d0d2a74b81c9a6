using System.Net;
using System.Security.Cryptography;
using Hyper.Quic.AddressValidation;
using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;
using Hyper.Quic.Recovery;
using Hyper.Quic.Tls;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Connection;

/// <summary>
/// The server side of one QUIC connection (RFC 9000, RFC 9001, RFC 9002), sans-IO like aioquic's QuicConnection:
/// <see cref="Receive"/> takes a datagram with its sender and the time, <see cref="WriteDatagram"/> produces the next
/// datagram to send, <see cref="TryGetEvent"/> reports what happened, and <see cref="TimerDeadline"/> says when
/// <see cref="OnTimer"/> must be called. Times are microseconds on any monotonic clock the caller chooses.
/// </summary>
/// <remarks>
/// The connection never throws for what the peer does: protocol errors close it with the matching CONNECTION_CLOSE
/// code. It opens no socket and keeps no clock, so tests drive it with explicit time.
/// </remarks>
public sealed partial class QuicConnection : IDisposable
{
    private readonly QuicConnectionOptions _options;
    private readonly TlsServerHandshake _tls;
    private readonly PacketNumberSpace[] _spaces =
        [new(EncryptionLevel.Initial), new(EncryptionLevel.Handshake), new(EncryptionLevel.OneRtt)];
    private readonly Queue<QuicConnectionEvent> _events = new();
    private readonly RttEstimator _rtt = new();
    private readonly ICongestionController _congestion;
    private readonly ConnectionId _originalDestinationConnectionId;
    /// <summary>The Destination Connection ID of the client's Initials; differs from the original one after a Retry.</summary>
    private readonly ConnectionId _initialDestinationConnectionId;
    private readonly ConnectionId? _retrySourceConnectionId;

    private ConnectionState _state = ConnectionState.Handshaking;
    private bool _handshakeComplete;
    private bool _addressValidated;
    private long _bytesReceivedUnvalidated;
    private long _bytesSentUnvalidated;
    private long _lastActivity;
    private long _closeDeadline = long.MaxValue;
    private bool _closeFrameDue;
    private ulong _closeErrorCode;
    private ulong _closeFrameType;
    private bool _closeIsApplication;
    private string _closeReason = "";
    private bool _handshakeDonePending;
    private int _ptoCount;
    private TransportParameters? _peerParameters;

    // 1-RTT key update (RFC 9001 §6).
    private PacketKeys? _receiveKeys;
    private PacketKeys? _sendKeys;
    private bool _keyPhase;
    private PacketAead? _nextReceiveAead;
    private PacketKeys? _nextReceiveKeys;

    public QuicConnection(
        QuicConnectionOptions options, ReadOnlySpan<byte> originalDestinationConnectionId,
        ReadOnlySpan<byte> clientSourceConnectionId, IPEndPoint remote, long now)
        : this(options, originalDestinationConnectionId, clientSourceConnectionId, remote, now, retry: null)
    {
    }

    /// <summary>
    /// A connection whose client answered a Retry (RFC 9000 §8.1.2): <paramref name="initialDestinationConnectionId"/>
    /// is the Destination Connection ID of the Initial that carried the token (the Retry's Source Connection ID), and
    /// <paramref name="retry"/> holds what the token vouched for. The token proves the client's address, so the
    /// anti-amplification limit does not apply.
    /// </summary>
    public QuicConnection(
        QuicConnectionOptions options, ReadOnlySpan<byte> initialDestinationConnectionId,
        ReadOnlySpan<byte> clientSourceConnectionId, IPEndPoint remote, long now, RetryValidation? retry)
    {
        _options = options;
        _initialDestinationConnectionId = new ConnectionId(initialDestinationConnectionId);
        // RFC 9000 §7.3: after a Retry, original_destination_connection_id is the client's first DCID and
        // retry_source_connection_id the Retry's SCID, which the client now uses as its DCID.
        _originalDestinationConnectionId = retry?.OriginalDestinationConnectionId ?? _initialDestinationConnectionId;
        if (retry is not null)
        {
            _retrySourceConnectionId = _initialDestinationConnectionId;
            _addressValidated = true;
        }
        PeerConnectionId = new ConnectionId(clientSourceConnectionId);
        RemoteEndPoint = remote;
        _lastActivity = now;
        _congestion = new NewRenoCongestionController(options.MaxDatagramSize);

        var localId = NewLocalConnectionId();
        SourceConnectionId = localId.Id;

        // RFC 9001 §5.2: Initial keys come from the client's first Destination Connection ID.
        var (client, server) = InitialSecrets.Derive(initialDestinationConnectionId);
        _spaces[0].ReceiveProtection = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, client));
        _spaces[0].SendProtection = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, server));

        _tls = new TlsServerHandshake(options.Tls, LocalTransportParameters(localId.ResetToken));
        InitializeStreams();
    }

    private enum ConnectionState
    {
        Handshaking,
        Established,
        /// <summary>RFC 9000 §10.2.1: we closed; only CONNECTION_CLOSE goes out, in answer to what arrives.</summary>
        Closing,
        /// <summary>RFC 9000 §10.2.2: the peer closed; nothing goes out.</summary>
        Draining,
        Closed,
    }

    /// <summary>The connection ID this server chose at the handshake (its initial_source_connection_id).</summary>
    public ConnectionId SourceConnectionId { get; }

    /// <summary>The connection ID packets to the client carry.</summary>
    public ConnectionId PeerConnectionId { get; private set; }

    /// <summary>Where datagrams from <see cref="WriteDatagram"/> go.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    public bool IsHandshakeComplete => _handshakeComplete;

    public bool IsClosed => _state == ConnectionState.Closed;

    /// <summary>Whether the client's address is validated, lifting the anti-amplification limit (RFC 9000 §8.1).</summary>
    public bool IsAddressValidated => _addressValidated;

    public RttEstimator Rtt => _rtt;

    public ICongestionController CongestionController => _congestion;

    /// <summary>Datagrams and bytes this connection produced and accepted, for measurement.</summary>
    public long DatagramsSent { get; private set; }

    public long BytesSent { get; private set; }

    public long DatagramsReceived { get; private set; }

    public long PacketsDeclaredLost { get; private set; }

    public bool TryGetEvent(out QuicConnectionEvent? connectionEvent) => _events.TryDequeue(out connectionEvent);

    /// <summary>
    /// Closes the connection with an application error code (RFC 9000 §10.2, CONNECTION_CLOSE type 0x1d). Before the
    /// handshake completes the code travels as APPLICATION_ERROR in a type 0x1c frame (§10.2.3).
    /// </summary>
    public void Close(ulong applicationErrorCode, string reason, long now)
    {
        if (_state is ConnectionState.Closing or ConnectionState.Draining or ConnectionState.Closed) return;
        StartClosing(applicationErrorCode, 0, isApplication: true, reason, now);
    }

    /// <summary>
    /// The next time <see cref="OnTimer"/> must run: the earliest of the ACK delay, loss detection, probe, idle and
    /// closing timers. long.MaxValue when none is armed.
    /// </summary>
    public long TimerDeadline
    {
        get
        {
            if (_state == ConnectionState.Closed) return long.MaxValue;
            if (_state is ConnectionState.Closing or ConnectionState.Draining) return _closeDeadline;
            var deadline = IdleDeadline;
            foreach (var space in _spaces)
            {
                if (space.AckPending && !space.Discarded) deadline = Math.Min(deadline, space.AckDeadline);
            }
            deadline = Math.Min(deadline, LossDetectionDeadline(out _));
            return deadline;
        }
    }

    /// <summary>Runs the timers that are due at <paramref name="now"/>; then call <see cref="WriteDatagram"/>.</summary>
    public void OnTimer(long now)
    {
        if (_state == ConnectionState.Closed) return;
        if (_state is ConnectionState.Closing or ConnectionState.Draining)
        {
            if (now >= _closeDeadline) Terminate();
            return;
        }

        if (now >= IdleDeadline)
        {
            // RFC 9000 §10.1: the connection is silently closed and its state discarded.
            _state = ConnectionState.Closed;
            _events.Enqueue(new ConnectionTerminated(0, false, false, IdleTimeout: true, "Idle timeout."));
            return;
        }

        var lossDeadline = LossDetectionDeadline(out var space);
        if (now >= lossDeadline && space is not null) OnLossDetectionTimeout(space, now);
    }

    public void Dispose()
    {
        foreach (var space in _spaces) space.Dispose();
        _nextReceiveAead?.Dispose();
        _previousReceiveAead?.Dispose();
        _tls.Dispose();
    }

    private long IdleTimeout
    {
        get
        {
            // RFC 9000 §10.1: the smaller of the two non-zero values, and never less than three PTOs.
            var local = _options.IdleTimeoutMilliseconds;
            var peer = (long)(_peerParameters?.MaxIdleTimeout ?? 0);
            var effective = local == 0 ? peer : peer == 0 ? local : Math.Min(local, peer);
            if (effective == 0) return long.MaxValue;
            return Math.Max(effective * 1000, 3 * ProbeTimeout(EncryptionLevel.OneRtt));
        }
    }

    private long IdleDeadline => IdleTimeout == long.MaxValue ? long.MaxValue : _lastActivity + IdleTimeout;

    private TransportParameters LocalTransportParameters(byte[] resetToken) => new()
    {
        OriginalDestinationConnectionId = _originalDestinationConnectionId,
        RetrySourceConnectionId = _retrySourceConnectionId,
        InitialSourceConnectionId = SourceConnectionId,
        StatelessResetToken = resetToken,
        MaxIdleTimeout = (ulong)_options.IdleTimeoutMilliseconds,
        MaxUdpPayloadSize = (ulong)Math.Max(1200, _options.MaxDatagramSize),
        InitialMaxData = (ulong)_options.ConnectionReceiveWindow,
        InitialMaxStreamDataBidiLocal = (ulong)_options.StreamReceiveWindow,
        InitialMaxStreamDataBidiRemote = (ulong)_options.StreamReceiveWindow,
        InitialMaxStreamDataUni = (ulong)_options.StreamReceiveWindow,
        InitialMaxStreamsBidi = (ulong)_options.MaxBidirectionalStreams,
        InitialMaxStreamsUni = (ulong)_options.MaxUnidirectionalStreams,
        MaxAckDelay = (ulong)_options.MaxAckDelayMilliseconds,
        ActiveConnectionIdLimit = (ulong)Math.Max(2, _options.ActiveConnectionIdLimit),
        // Path validation and migration are not built yet (docs/quic.md), so the client is told not to migrate.
        DisableActiveMigration = true,
    };

    private (ConnectionId Id, byte[] ResetToken) NewLocalConnectionId()
    {
        var bytes = RandomNumberGenerator.GetBytes(_options.ConnectionIdLength);
        var token = new byte[StatelessReset.TokenLength];
        StatelessReset.ComputeToken(_options.StatelessResetKey, bytes, token);
        var id = new ConnectionId(bytes);
        _localConnectionIds.Add(_nextLocalSequence++, (id, token));
        return (id, token);
    }

    private void StartClosing(ulong errorCode, ulong frameType, bool isApplication, string reason, long now)
    {
        _closeErrorCode = errorCode;
        _closeFrameType = frameType;
        _closeIsApplication = isApplication;
        _closeReason = reason;
        _closeFrameDue = true;
        _state = ConnectionState.Closing;
        // RFC 9000 §10.2: the closing state lasts at least three PTOs.
        _closeDeadline = now + 3 * ProbeTimeout(EncryptionLevel.OneRtt);
    }

    private void CloseWithError(QuicTransportException error, long now) =>
        StartClosing((ulong)error.ErrorCode, error.FrameType, isApplication: false, error.Message, now);

    private void Terminate()
    {
        var byPeer = _state == ConnectionState.Draining;
        _state = ConnectionState.Closed;
        _events.Enqueue(new ConnectionTerminated(_closeErrorCode, _closeIsApplication, byPeer, IdleTimeout: false, _closeReason));
    }
}
