using System.Text;
using Hyper.Quic.Crypto;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

public sealed partial class QuicConnection
{
    /// <summary>RFC 9000 §14.1: a datagram carrying an ack-eliciting Initial is at least 1200 bytes.</summary>
    private const int MinimumInitialDatagramSize = 1200;

    /// <summary>The smallest packet worth building: a header, a few frame bytes and the tag.</summary>
    private const int MinimumPacketRoom = 48;

    private readonly List<SentFrame> _frameScratch = [];
    private bool _ackElicitingSentSinceReceive;

    private readonly record struct PlannedPacket(PacketNumberSpace Space, int Offset, int HeaderLength, int PacketNumberLength, long PacketNumber, int PayloadLength, bool AckEliciting, SentFrame[] Frames);

    /// <summary>
    /// Writes the next datagram to send to <see cref="RemoteEndPoint"/> into <paramref name="destination"/> and returns
    /// its length; 0 when nothing may or needs to be sent now. Call it until it returns 0 after every
    /// <see cref="Receive"/>, <see cref="OnTimer"/> and application write. Packets of several spaces are coalesced.
    /// </summary>
    public int WriteDatagram(Span<byte> destination, long now)
    {
        if (_state is ConnectionState.Closed or ConnectionState.Draining) return 0;
        var limit = Math.Min(destination.Length, _options.MaxDatagramSize);
        if (!_addressValidated)
        {
            // RFC 9000 §8.1: before the address is validated, at most three times the bytes received.
            limit = (int)Math.Min(limit, _options.AmplificationFactor * _bytesReceivedUnvalidated - _bytesSentUnvalidated);
            if (limit < MinimumPacketRoom) return 0;
        }

        var written = _state == ConnectionState.Closing ? WriteClose(destination[..limit]) : WritePackets(destination[..limit], now);
        if (written > 0)
        {
            DatagramsSent++;
            BytesSent += written;
            if (!_addressValidated) _bytesSentUnvalidated += written;
        }
        return written;
    }

    private int WritePackets(Span<byte> destination, long now)
    {
        var probing = false;
        foreach (var space in _spaces) probing |= space.ProbesPending > 0 && space.CanSend;
        // RFC 9002 §7: ack-eliciting packets wait for congestion window; ACKs and probes do not.
        var congestionBlocked = !probing && _congestion.BytesInFlight + destination.Length > _congestion.CongestionWindow;

        Span<PlannedPacket> planned = new PlannedPacket[3];
        var count = 0;
        var used = 0;
        for (var i = 0; i < _spaces.Length; i++)
        {
            var space = _spaces[i];
            if (!space.CanSend) continue;
            if (space.Level == EncryptionLevel.OneRtt && !_handshakeComplete) continue;
            var packetNumber = space.NextPacketNumber;
            var packetNumberLength = PacketNumberEncoding.GetEncodedLength(packetNumber, space.LargestAcknowledged);
            var headerLength = space.Level == EncryptionLevel.OneRtt
                ? 1 + PeerConnectionId.Length + packetNumberLength
                : PacketHeaderWriter.GetLongHeaderLength(space.PacketType, PeerConnectionId.Length, SourceConnectionId.Length, 0, packetNumberLength);
            var room = destination.Length - used - headerLength - PacketAead.TagLength;
            if (room < MinimumPacketRoom - PacketAead.TagLength) break;
            // An ack-eliciting Initial needs a 1200-byte datagram (RFC 9000 §14.1); without room for it, only ACK.
            var initialPaddingImpossible = space.Level == EncryptionLevel.Initial && destination.Length < MinimumInitialDatagramSize;

            _frameScratch.Clear();
            var payload = destination.Slice(used + headerLength, room);
            var payloadLength = WriteFrames(space, payload, now, congestionBlocked || initialPaddingImpossible, out var ackEliciting);
            if (payloadLength == 0) continue;
            // RFC 9001 §5.4.2: packet number and payload together span at least 4 bytes, so the sample exists.
            var minimum = 4 - packetNumberLength;
            if (payloadLength < minimum)
            {
                payload.Slice(payloadLength, minimum - payloadLength).Clear();
                payloadLength = minimum;
            }
            planned[count++] = new PlannedPacket(space, used, headerLength, packetNumberLength, packetNumber, payloadLength, ackEliciting, [.. _frameScratch]);
            used += headerLength + payloadLength + PacketAead.TagLength;
        }
        if (count == 0) return 0;

        var padded = false;
        var needsPadding = false;
        for (var i = 0; i < count; i++) needsPadding |= planned[i].Space.Level == EncryptionLevel.Initial && planned[i].AckEliciting;
        if (needsPadding && used < MinimumInitialDatagramSize)
        {
            // Pad inside the last packet: PADDING frames after its payload, which is at the end of the datagram.
            ref var last = ref planned[count - 1];
            var padding = MinimumInitialDatagramSize - used;
            destination.Slice(last.Offset + last.HeaderLength + last.PayloadLength, padding).Clear();
            last = last with { PayloadLength = last.PayloadLength + padding };
            used += padding;
            padded = true;
        }

        for (var i = 0; i < count; i++) Seal(destination, planned[i], padded && i == count - 1, now);
        if (planned[..count].ToArray().Any(p => p.AckEliciting) && !_ackElicitingSentSinceReceive)
        {
            // RFC 9000 §10.1: the first ack-eliciting packet after receiving restarts the idle timer.
            _ackElicitingSentSinceReceive = true;
            _lastActivity = now;
        }
        return used;
    }

    private void Seal(Span<byte> destination, PlannedPacket packet, bool padded, long now)
    {
        var space = packet.Space;
        var length = packet.HeaderLength + packet.PayloadLength + PacketAead.TagLength;
        var bytes = destination.Slice(packet.Offset, length);
        int packetNumberOffset;
        if (space.Level == EncryptionLevel.OneRtt)
        {
            PacketHeaderWriter.WriteShortHeader(bytes, PeerConnectionId.Span, packet.PacketNumber, packet.PacketNumberLength, _keyPhase);
            packetNumberOffset = 1 + PeerConnectionId.Length;
        }
        else
        {
            PacketHeaderWriter.WriteLongHeader(bytes, space.PacketType, QuicVersion.Version1, PeerConnectionId.Span, SourceConnectionId.Span, [],
                packet.PacketNumber, packet.PacketNumberLength, packet.PayloadLength + PacketAead.TagLength, out packetNumberOffset);
        }
        space.SendProtection!.Protect(bytes, packetNumberOffset, packet.PacketNumber);
        space.NextPacketNumber++;

        var inFlight = packet.AckEliciting || padded;
        var sent = new SentPacket
        {
            PacketNumber = packet.PacketNumber,
            Level = space.Level,
            TimeSent = now,
            Size = length,
            AckEliciting = packet.AckEliciting,
            InFlight = inFlight,
        };
        sent.Frames.AddRange(packet.Frames);
        // Packets that carry only ACKs are never acknowledged on their own, so they are not tracked (RFC 9002 §2).
        if (!inFlight) return;
        space.Sent[packet.PacketNumber] = sent;
        _congestion.OnPacketSent(now, length);
        if (packet.AckEliciting)
        {
            space.TimeOfLastAckElicitingSent = now;
            space.AckElicitingInFlight++;
        }
    }

    private int WriteFrames(PacketNumberSpace space, Span<byte> payload, long now, bool ackOnly, out bool ackEliciting)
    {
        ackEliciting = false;
        var writer = new QuicFrameWriter(payload);
        var hasOther = !ackOnly && HasAckElicitingToSend(space);
        if (space.AckPending && (space.AckDeadline <= now || hasOther || space.ProbesPending > 0))
            WriteAck(space, ref writer, now);
        if (ackOnly && space.ProbesPending == 0) return writer.BytesWritten;

        if (space.ProbesPending > 0 && !HasAckElicitingToSend(space))
        {
            // RFC 9002 §6.2.4: a probe must elicit an ACK; PING does when nothing else is waiting.
            if (writer.TryWritePing()) _frameScratch.Add(new SentFrame(SentFrameKind.Ping));
        }

        WriteCrypto(space, ref writer);
        if (space.Level == EncryptionLevel.OneRtt) WriteApplicationFrames(ref writer);

        foreach (var frame in _frameScratch)
        {
            if (frame.Kind is not (SentFrameKind.Ack or SentFrameKind.Padding or SentFrameKind.ConnectionClose)) ackEliciting = true;
        }
        if (ackEliciting && space.ProbesPending > 0) space.ProbesPending--;
        return writer.BytesWritten;
    }

    private bool HasAckElicitingToSend(PacketNumberSpace space)
    {
        if (!space.Crypto.Pending.IsEmpty) return true;
        if (space.Level != EncryptionLevel.OneRtt) return false;
        if (_handshakeDonePending || _maxDataPending || _maxStreamsBidiPending || _maxStreamsUniPending || _pathResponsePending) return true;
        if (_newConnectionIdsToSend.Count > 0 || _retireConnectionIdsToSend.Count > 0) return true;
        foreach (var stream in _streams.Values)
        {
            if (stream.MaxStreamDataPending || stream.StopSendingPending || stream.ResetPending) return true;
            if (stream.HasDataToSend && (stream.Send!.Pending.IsEmpty || stream.Send.Pending[0].Start < stream.Send.HighestSent || _dataSent < _peerMaxData))
                return true;
        }
        return false;
    }

    private void WriteAck(PacketNumberSpace space, ref QuicFrameWriter writer, long now)
    {
        var received = space.Received;
        if (received.IsEmpty) return;
        Span<PacketNumberRange> ranges = stackalloc PacketNumberRange[received.Count];
        for (var i = 0; i < received.Count; i++)
        {
            var (start, end) = received[received.Count - 1 - i];
            ranges[i] = new PacketNumberRange(start, end - 1);
        }
        // RFC 9000 §13.2.5: the delay is reported in 1-RTT only, in units of 2^ack_delay_exponent (3) microseconds.
        var delay = space.Level == EncryptionLevel.OneRtt ? (ulong)Math.Max(0, now - space.LargestReceivedTime) >> 3 : 0;
        while (!writer.TryWriteAck(ranges, delay))
        {
            if (ranges.Length == 1) return;
            ranges = ranges[..^1];
        }
        _frameScratch.Add(new SentFrame(SentFrameKind.Ack, LargestAcknowledged: ranges[0].Largest));
        space.AckPending = false;
        space.AckElicitingSinceAck = 0;
        space.AckDeadline = long.MaxValue;
    }

    private void WriteCrypto(PacketNumberSpace space, ref QuicFrameWriter writer)
    {
        var crypto = space.Crypto;
        while (!crypto.Pending.IsEmpty)
        {
            var (start, end) = crypto.Pending[0];
            var room = writer.Remaining - (1 + VariableLengthInteger.GetEncodedLength((ulong)start) + 2);
            if (room <= 0) return;
            var length = (int)Math.Min(end - start, room);
            if (!writer.TryWriteCrypto((ulong)start, crypto.Slice(start, length))) return;
            crypto.OnSent(start, length, fin: false);
            _frameScratch.Add(new SentFrame(SentFrameKind.Crypto, Offset: start, Length: length));
        }
    }

    private void WriteApplicationFrames(ref QuicFrameWriter writer)
    {
        if (_handshakeDonePending && writer.TryWriteHandshakeDone())
        {
            _handshakeDonePending = false;
            _frameScratch.Add(new SentFrame(SentFrameKind.HandshakeDone));
        }
        if (_maxDataPending && writer.TryWriteMaxData((ulong)_maxDataAdvertised))
        {
            _maxDataPending = false;
            _frameScratch.Add(new SentFrame(SentFrameKind.MaxData));
        }
        if (_maxStreamsBidiPending && writer.TryWriteMaxStreams(true, (ulong)_maxStreamsBidiAdvertised))
        {
            _maxStreamsBidiPending = false;
            _frameScratch.Add(new SentFrame(SentFrameKind.MaxStreamsBidirectional));
        }
        if (_maxStreamsUniPending && writer.TryWriteMaxStreams(false, (ulong)_maxStreamsUniAdvertised))
        {
            _maxStreamsUniPending = false;
            _frameScratch.Add(new SentFrame(SentFrameKind.MaxStreamsUnidirectional));
        }
        if (_pathResponsePending && writer.TryWritePathResponse(_pathResponse))
        {
            // PATH_RESPONSE is not retransmitted (RFC 9000 §13.3): a new PATH_CHALLENGE asks again.
            _pathResponsePending = false;
            _frameScratch.Add(new SentFrame(SentFrameKind.PathResponse));
        }
        foreach (var sequence in _newConnectionIdsToSend.ToList())
        {
            var (id, token) = _localConnectionIds[sequence];
            if (!writer.TryWriteNewConnectionId(sequence, 0, id.Span, token)) break;
            _newConnectionIdsToSend.Remove(sequence);
            _frameScratch.Add(new SentFrame(SentFrameKind.NewConnectionId, Offset: (long)sequence));
        }
        foreach (var sequence in _retireConnectionIdsToSend.ToList())
        {
            if (!writer.TryWriteRetireConnectionId(sequence)) break;
            _retireConnectionIdsToSend.Remove(sequence);
            _frameScratch.Add(new SentFrame(SentFrameKind.RetireConnectionId, Offset: (long)sequence));
        }

        foreach (var stream in _streams.Values)
        {
            if (stream.MaxStreamDataPending && writer.TryWriteMaxStreamData(stream.Id, (ulong)stream.ReceiveLimit))
            {
                stream.MaxStreamDataPending = false;
                _frameScratch.Add(new SentFrame(SentFrameKind.MaxStreamData, stream.Id));
            }
            if (stream.StopSendingPending && writer.TryWriteStopSending(stream.Id, stream.StopSendingErrorCode))
            {
                stream.StopSendingPending = false;
                _frameScratch.Add(new SentFrame(SentFrameKind.StopSending, stream.Id));
            }
            if (stream.ResetPending && writer.TryWriteResetStream(stream.Id, stream.ResetErrorCode, (ulong)stream.Send!.HighestSent))
            {
                stream.ResetPending = false;
                stream.ResetSent = true;
                stream.Send.Abandon();
                _frameScratch.Add(new SentFrame(SentFrameKind.ResetStream, stream.Id));
            }
        }

        foreach (var stream in _streams.Values)
        {
            if (writer.Remaining < 16) break;
            WriteStreamData(stream, ref writer);
        }
    }

    private void WriteStreamData(QuicStream stream, ref QuicFrameWriter writer)
    {
        var send = stream.Send;
        if (send is null || stream.ResetSent || stream.ResetPending) return;
        while (true)
        {
            if (send.Pending.IsEmpty)
            {
                // Only the FIN is left to (re)send: an empty STREAM frame at the final size.
                if (!send.FinPending) return;
                var finalSize = send.WrittenEnd;
                if (!writer.TryWriteStream(stream.Id, (ulong)finalSize, [], fin: true)) return;
                send.OnSent(finalSize, 0, fin: true);
                _frameScratch.Add(new SentFrame(SentFrameKind.Stream, stream.Id, finalSize, 0, Fin: true));
                return;
            }

            var (start, end) = send.Pending[0];
            // Stream credit (MAX_STREAM_DATA) and, for bytes never sent before, connection credit (MAX_DATA).
            end = Math.Min(end, stream.SendLimit);
            if (end > send.HighestSent) end = Math.Min(end, send.HighestSent + (_peerMaxData - _dataSent));
            var overhead = 1 + VariableLengthInteger.GetEncodedLength(stream.Id)
                + (start != 0 ? VariableLengthInteger.GetEncodedLength((ulong)start) : 0) + 2;
            var room = writer.Remaining - overhead;
            if (room <= 0 || end <= start) return;
            var length = (int)Math.Min(end - start, room);
            var fin = send.Finished && start + length == send.WrittenEnd;
            if (!writer.TryWriteStream(stream.Id, (ulong)start, send.Slice(start, length), fin)) return;
            var growth = Math.Max(0, start + length - send.HighestSent);
            _dataSent += growth;
            send.OnSent(start, length, fin);
            _frameScratch.Add(new SentFrame(SentFrameKind.Stream, stream.Id, start, length, fin));
        }
    }

    private int WriteClose(Span<byte> destination)
    {
        if (!_closeFrameDue) return 0;
        _closeFrameDue = false;
        var used = 0;
        foreach (var space in _spaces)
        {
            if (!space.CanSend) continue;
            // RFC 9000 §10.2.3: before the handshake is confirmed, close in the Initial and Handshake spaces the
            // client can read, with an application close carried as APPLICATION_ERROR.
            if (space.Level == EncryptionLevel.OneRtt && !_handshakeComplete) continue;
            if (space.Level != EncryptionLevel.OneRtt && _handshakeComplete) continue;
            var packetNumber = space.NextPacketNumber;
            var packetNumberLength = PacketNumberEncoding.GetEncodedLength(packetNumber, space.LargestAcknowledged);
            var headerLength = space.Level == EncryptionLevel.OneRtt
                ? 1 + PeerConnectionId.Length + packetNumberLength
                : PacketHeaderWriter.GetLongHeaderLength(space.PacketType, PeerConnectionId.Length, SourceConnectionId.Length, 0, packetNumberLength);
            var room = destination.Length - used - headerLength - PacketAead.TagLength;
            if (room < 16) break;
            var writer = new QuicFrameWriter(destination.Slice(used + headerLength, room));
            var reason = Encoding.UTF8.GetBytes(_closeReason.Length > 64 ? _closeReason[..64] : _closeReason);
            var written = _closeIsApplication && space.Level == EncryptionLevel.OneRtt
                ? writer.TryWriteApplicationClose(_closeErrorCode, reason)
                : _closeIsApplication
                    ? writer.TryWriteConnectionClose(QuicTransportErrorCode.ApplicationError, 0, [])
                    : writer.TryWriteConnectionClose((QuicTransportErrorCode)_closeErrorCode, _closeFrameType, reason);
            if (!written) break;
            var payloadLength = Math.Max(writer.BytesWritten, 4 - packetNumberLength);
            Seal(destination, new PlannedPacket(space, used, headerLength, packetNumberLength, packetNumber, payloadLength, false, []), false, 0);
            used += headerLength + payloadLength + PacketAead.TagLength;
        }
        return used;
    }
}
