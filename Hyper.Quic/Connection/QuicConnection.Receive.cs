using System.Net;
using Hyper.Quic.Crypto;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

public sealed partial class QuicConnection
{
    private PacketAead? _previousReceiveAead;
    private long _keyPhaseStartPacketNumber;

    /// <summary>
    /// Processes one received UDP datagram from <paramref name="remote"/> at <paramref name="now"/>. The datagram is
    /// decrypted in place. Packets that cannot be parsed or authenticated are dropped (RFC 9000 §12.2, RFC 9001 §5.3).
    /// </summary>
    public void Receive(Span<byte> datagram, IPEndPoint remote, long now)
    {
        if (_state is ConnectionState.Closed or ConnectionState.Draining) return;
        // Migration and NAT rebinding need path validation, which is not built: datagrams from another address are
        // dropped, and disable_active_migration tells the client not to move (RFC 9000 §9).
        if (!remote.Equals(RemoteEndPoint)) return;
        DatagramsReceived++;
        if (!_addressValidated) _bytesReceivedUnvalidated += datagram.Length;

        if (_state == ConnectionState.Closing)
        {
            // RFC 9000 §10.2.1: answer packets in the closing state with CONNECTION_CLOSE again.
            _closeFrameDue = true;
            return;
        }

        var position = 0;
        ReadOnlySpan<byte> firstDestination = default;
        while (position < datagram.Length && _state is ConnectionState.Handshaking or ConnectionState.Established)
        {
            if (!PacketHeaderParser.TryParse(datagram[position..], _options.ConnectionIdLength, out var header)) break;
            var length = header.Packet.Length;
            var type = header.Type;
            var packetNumberOffset = header.PacketNumberOffset;
            var destination = header.DestinationConnectionId;
            if (position == 0) firstDestination = destination;
            var isOurs = position == 0 ? IsOurConnectionId(destination) : destination.SequenceEqual(firstDestination);
            var packet = datagram.Slice(position, length);
            position += length;
            // RFC 9000 §12.2: coalesced packets with another connection ID are dropped.
            if (!isOurs || type is PacketType.Retry or PacketType.VersionNegotiation or PacketType.ZeroRtt) continue;
            try
            {
                ProcessPacket(packet, type, packetNumberOffset, now);
            }
            catch (QuicTransportException error)
            {
                CloseWithError(error, now);
            }
            catch (TlsAlertException alert)
            {
                StartClosing((ulong)alert.TransportErrorCode, (ulong)FrameType.Crypto, isApplication: false, alert.Message, now);
            }
        }
    }

    private bool IsOurConnectionId(ReadOnlySpan<byte> destination)
    {
        if (destination.SequenceEqual(_initialDestinationConnectionId.Span)) return true;
        foreach (var (_, (id, _)) in _localConnectionIds)
        {
            if (destination.SequenceEqual(id.Span)) return true;
        }
        return false;
    }

    private void ProcessPacket(Span<byte> packet, PacketType type, int packetNumberOffset, long now)
    {
        var space = type switch
        {
            PacketType.Initial => _spaces[0],
            PacketType.Handshake => _spaces[1],
            _ => _spaces[2],
        };
        if (!space.CanReceive) return;
        // RFC 9001 §5.7: a server does not process 1-RTT packets before the handshake completes; the client resends.
        if (type == PacketType.OneRtt && !_handshakeComplete) return;

        if (!TryUnprotect(space, packet, packetNumberOffset, out var packetNumber, out var payloadOffset, out var payloadLength))
            return;

        // RFC 9000 §12.3: a packet number seen before is a duplicate and is not processed again.
        if (space.Received.Contains(packetNumber)) return;

        var ackEliciting = false;
        var reader = new QuicFrameReader(packet.Slice(payloadOffset, payloadLength), type, receiverIsServer: true);
        while (reader.TryRead(out var frame))
        {
            if (frame.IsAckEliciting) ackEliciting = true;
            ProcessFrame(space, frame, now);
            if (_state is not (ConnectionState.Handshaking or ConnectionState.Established)) return;
        }

        _lastActivity = now;
        _ackElicitingSentSinceReceive = false;
        if (space.Discarded) return; // the handshake completed in this packet and its space is gone (RFC 9001 §4.9.2)
        space.Received.Add(packetNumber, packetNumber + 1);
        space.Received.TrimTo(PacketNumberSpace.MaxAckRanges);
        var outOfOrder = packetNumber < space.LargestReceived;
        if (packetNumber > space.LargestReceived)
        {
            space.LargestReceived = packetNumber;
            space.LargestReceivedTime = now;
        }

        if (ackEliciting)
        {
            space.AckPending = true;
            space.AckElicitingSinceAck++;
            // RFC 9000 §13.2.1: Initial and Handshake packets are acknowledged at once; 1-RTT packets after two
            // ack-eliciting packets, out of order, or at max_ack_delay.
            var immediate = space.Level != EncryptionLevel.OneRtt || space.AckElicitingSinceAck >= 2 || outOfOrder;
            space.AckDeadline = Math.Min(space.AckDeadline, immediate ? now : now + _options.MaxAckDelayMilliseconds * 1000L);
        }

        if (type == PacketType.Handshake)
        {
            // RFC 9000 §8.1: a Handshake packet proves the client received our Initial, so its address is valid.
            _addressValidated = true;
            // RFC 9001 §4.9.1: a server discards Initial keys when it first processes a Handshake packet.
            if (!_spaces[0].Discarded) DiscardSpace(_spaces[0]);
        }
    }

    private bool TryUnprotect(PacketNumberSpace space, Span<byte> packet, int packetNumberOffset, out long packetNumber, out int payloadOffset, out int payloadLength)
    {
        packetNumber = 0;
        payloadOffset = 0;
        payloadLength = 0;
        var protection = space.ReceiveProtection!;
        if (!PacketProtection.TryRemoveHeaderProtection(protection.HeaderProtection, packet, packetNumberOffset, out var packetNumberLength, out var truncated))
            return false;
        payloadOffset = packetNumberOffset + packetNumberLength;
        if (packet.Length - payloadOffset < PacketAead.TagLength) return false;
        packetNumber = PacketNumberEncoding.Decode(space.LargestReceived, truncated, packetNumberLength);
        var header = packet[..payloadOffset];
        var ciphertext = packet[payloadOffset..^PacketAead.TagLength];
        var tag = packet[^PacketAead.TagLength..];

        var phaseChanged = space.Level == EncryptionLevel.OneRtt && ((packet[0] & 0x04) != 0) != _keyPhase;
        if (!phaseChanged)
        {
            if (!protection.Aead.TryOpen(packetNumber, header, ciphertext, tag)) return false;
        }
        else if (_previousReceiveAead is not null && packetNumber < _keyPhaseStartPacketNumber)
        {
            // RFC 9001 §6.5: a packet of the previous key phase, delayed past the update, opens with the old keys.
            if (!_previousReceiveAead.TryOpen(packetNumber, header, ciphertext, tag)) return false;
        }
        else
        {
            // RFC 9001 §6.3: a flipped key phase is a key update by the peer if the next keys open the packet. .NET
            // wipes the buffer when opening fails, so nothing is lost if it does: the packet is dropped either way.
            _nextReceiveKeys ??= _receiveKeys!.NextGeneration();
            _nextReceiveAead ??= new PacketAead(_nextReceiveKeys.Suite, _nextReceiveKeys.Key, _nextReceiveKeys.Iv);
            if (!_nextReceiveAead.TryOpen(packetNumber, header, ciphertext, tag)) return false;
            ApplyPeerKeyUpdate(packetNumber);
        }

        // RFC 9000 §17.2, §17.3.1: reserved bits must be zero in an authenticated packet.
        var reservedBits = (packet[0] & 0x80) != 0 ? 0x0c : 0x18;
        if ((packet[0] & reservedBits) != 0)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "Reserved header bits are set.");
        payloadLength = ciphertext.Length;
        return true;
    }

    private void ApplyPeerKeyUpdate(long firstPacketNumber)
    {
        // RFC 9001 §6.2: answer the peer's update by updating our sending keys too.
        var space = _spaces[2];
        var headerProtection = space.ReceiveProtection!.HeaderProtection;
        // The old receive keys stay for packets of the old phase that arrive late, until the next update.
        _previousReceiveAead?.Dispose();
        _previousReceiveAead = space.ReceiveProtection.Aead;
        _keyPhaseStartPacketNumber = firstPacketNumber;
        space.ReceiveProtection = new PacketProtection(_nextReceiveAead!, headerProtection);
        _receiveKeys = _nextReceiveKeys;
        _nextReceiveAead = null;
        _nextReceiveKeys = null;

        _sendKeys = _sendKeys!.NextGeneration();
        var sendHeaderProtection = space.SendProtection!.HeaderProtection;
        space.SendProtection.Aead.Dispose();
        space.SendProtection = new PacketProtection(new PacketAead(_sendKeys.Suite, _sendKeys.Key, _sendKeys.Iv), sendHeaderProtection);
        _keyPhase = !_keyPhase;
        KeyUpdates++;
    }

    /// <summary>How many key updates the peer initiated and this connection followed (RFC 9001 §6).</summary>
    public int KeyUpdates { get; private set; }

    private void ProcessFrame(PacketNumberSpace space, QuicFrame frame, long now)
    {
        switch (frame.Type)
        {
            case FrameType.Padding:
            case FrameType.Ping:
                break;
            case FrameType.Ack:
            case FrameType.AckEcn:
                OnAckReceived(space, frame.Ack, now);
                break;
            case FrameType.Crypto:
                _tls.ReceiveCryptoData(space.Level, frame.Crypto.Offset, frame.Crypto.Data);
                DrainHandshakeEvents(now);
                break;
            case FrameType.Stream:
                OnStreamFrame(frame.Stream, frame.RawType);
                break;
            case FrameType.ResetStream:
                OnResetStream(frame.ResetStream);
                break;
            case FrameType.StopSending:
                OnStopSending(frame.StopSending);
                break;
            case FrameType.MaxData:
                OnMaxData(frame.FlowControl.Limit);
                break;
            case FrameType.MaxStreamData:
                OnMaxStreamData(frame.FlowControl.StreamId, frame.FlowControl.Limit);
                break;
            case FrameType.MaxStreamsBidirectional:
                _peerMaxStreamsBidi = Math.Max(_peerMaxStreamsBidi, (long)frame.FlowControl.Limit);
                break;
            case FrameType.MaxStreamsUnidirectional:
                _peerMaxStreamsUni = Math.Max(_peerMaxStreamsUni, (long)frame.FlowControl.Limit);
                break;
            case FrameType.DataBlocked:
            case FrameType.StreamDataBlocked:
                // Credit follows the application's reads; a blocked peer waits for them.
                if (frame.Type == FrameType.StreamDataBlocked) CheckReceivableStream(frame.FlowControl.StreamId, frame.RawType);
                break;
            case FrameType.StreamsBlockedBidirectional:
            case FrameType.StreamsBlockedUnidirectional:
                break;
            case FrameType.NewConnectionId:
                OnNewConnectionId(frame.NewConnectionId, frame.RawType);
                break;
            case FrameType.RetireConnectionId:
                OnRetireConnectionId(frame.RetireSequenceNumber, frame.RawType);
                break;
            case FrameType.PathChallenge:
                // RFC 9000 §8.2.2: echo the data on the path it came from (the only path here).
                frame.PathData.CopyTo(_pathResponse);
                _pathResponsePending = true;
                break;
            case FrameType.PathResponse:
                // We send no PATH_CHALLENGE, so any PATH_RESPONSE is unsolicited; §8.2.2 lets us ignore it.
                break;
            case FrameType.ConnectionClose:
            case FrameType.ApplicationClose:
                OnConnectionClose(frame.ConnectionClose, now);
                break;
            default:
                throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, $"Unexpected {frame.Type}.", frame.RawType);
        }
    }

    private void OnConnectionClose(ConnectionCloseFrame close, long now)
    {
        // RFC 9000 §10.2.2: enter draining; send nothing more, and forget the connection after three PTOs.
        _closeErrorCode = close.ErrorCode;
        _closeIsApplication = close.IsApplicationClose;
        _closeFrameType = close.TriggeringFrameType;
        _closeReason = System.Text.Encoding.UTF8.GetString(close.ReasonPhrase);
        _state = ConnectionState.Draining;
        _closeDeadline = now + 3 * ProbeTimeout(EncryptionLevel.OneRtt);
    }

    private void DrainHandshakeEvents(long now)
    {
        while (_tls.TryGetEvent(out var e))
        {
            switch (e)
            {
                case HandshakeDataReady data:
                    _spaces[(int)data.Level].Crypto.Write(data.Data, fin: false);
                    break;
                case TrafficSecretsReady secrets:
                    InstallKeys(secrets);
                    break;
                case HandshakeCompleted completed:
                    OnHandshakeCompleted(completed, now);
                    break;
            }
        }
    }

    private void InstallKeys(TrafficSecretsReady secrets)
    {
        var space = _spaces[(int)secrets.Level];
        var receive = PacketKeys.Derive(secrets.Suite, secrets.ClientSecret);
        var send = PacketKeys.Derive(secrets.Suite, secrets.ServerSecret);
        space.ReceiveProtection = PacketProtection.Create(receive);
        space.SendProtection = PacketProtection.Create(send);
        if (secrets.Level == EncryptionLevel.OneRtt)
        {
            _receiveKeys = receive;
            _sendKeys = send;
        }
    }

    private void OnHandshakeCompleted(HandshakeCompleted completed, long now)
    {
        var parameters = completed.ClientTransportParameters;
        // RFC 9000 §7.3: the client's initial_source_connection_id must match the Source Connection ID it used.
        if (parameters.InitialSourceConnectionId is not { } initialSource || initialSource != PeerConnectionId)
            throw new QuicTransportException(QuicTransportErrorCode.TransportParameterError, "initial_source_connection_id does not match the packets.");
        _peerParameters = parameters;
        _handshakeComplete = true;
        _state = ConnectionState.Established;
        // RFC 9001 §4.1.2: at the server the handshake is confirmed when it completes; HANDSHAKE_DONE tells the client.
        _handshakeDonePending = true;
        ApplyPeerTransportParameters(parameters);
        // RFC 9001 §4.9.2: the server discards Handshake keys once the handshake is confirmed.
        DiscardSpace(_spaces[1]);
        _addressValidated = true;
        _lastActivity = now;
        _events.Enqueue(new ConnectionEstablished(completed.ApplicationProtocol, completed.ServerName));
        IssueConnectionIds();
    }

    private void DiscardSpace(PacketNumberSpace space)
    {
        // RFC 9002 §6.4: packets of a discarded space leave bytes in flight without counting as lost.
        foreach (var sent in space.Sent.Values)
        {
            if (sent.InFlight) _congestion.OnPacketDiscarded(sent.Size);
        }
        space.Discard();
        _ptoCount = 0;
    }
}
