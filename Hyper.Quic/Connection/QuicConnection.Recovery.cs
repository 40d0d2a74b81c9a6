using Hyper.Quic.Frames;
using Hyper.Quic.Recovery;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

/// <summary>Loss detection (RFC 9002 §6, Appendix A): acknowledgements, the packet and time thresholds, and PTO.</summary>
public sealed partial class QuicConnection
{
    /// <summary>RFC 9002 §6.1.1: kPacketThreshold.</summary>
    private const int PacketThreshold = 3;

    /// <summary>RFC 9002 §7.6.1: kPersistentCongestionThreshold.</summary>
    private const int PersistentCongestionThreshold = 3;

    private readonly List<SentPacket> _ackedScratch = [];
    private long _firstRttSampleTime = long.MaxValue;

    /// <summary>How often persistent congestion collapsed the congestion window (RFC 9002 §7.6).</summary>
    public int PersistentCongestionEvents { get; private set; }

    private long PeerMaxAckDelay => (long)(_peerParameters?.MaxAckDelay ?? 25) * 1000;

    /// <summary>RFC 9002 §6.2.1: the PTO for a space, with max_ack_delay for 1-RTT and the exponential backoff.</summary>
    private long ProbeTimeout(EncryptionLevel level)
    {
        var timeout = _rtt.BaseProbeTimeout;
        if (level == EncryptionLevel.OneRtt) timeout += PeerMaxAckDelay;
        return timeout << Math.Min(_ptoCount, 16);
    }

    private void OnAckReceived(PacketNumberSpace space, AckFrame ack, long now)
    {
        // RFC 9000 §13.1: acknowledging a packet never sent is a PROTOCOL_VIOLATION.
        if (ack.LargestAcknowledged >= space.NextPacketNumber)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation,
                $"ACK of packet {ack.LargestAcknowledged}, which was not sent.", (ulong)FrameType.Ack);
        space.LargestAcknowledged = Math.Max(space.LargestAcknowledged, ack.LargestAcknowledged);

        _ackedScratch.Clear();
        foreach (var range in ack.GetRanges())
        {
            // Walk only the packets still tracked; a range can be huge while few packets are in flight.
            foreach (var (number, packet) in space.Sent)
            {
                if (number > range.Largest) break;
                if (number >= range.Smallest) _ackedScratch.Add(packet);
            }
        }
        if (_ackedScratch.Count == 0) return;

        // RFC 9002 §5.1: an RTT sample when the largest acknowledged is newly acknowledged and something
        // ack-eliciting was.
        var largest = _ackedScratch.MaxBy(p => p.PacketNumber)!;
        if (largest.PacketNumber == ack.LargestAcknowledged && _ackedScratch.Any(p => p.AckEliciting))
        {
            var ackDelay = 0L;
            if (space.Level == EncryptionLevel.OneRtt)
            {
                var exponent = (int)(_peerParameters?.AckDelayExponent ?? 3);
                ackDelay = Math.Min((long)Math.Min(ack.AckDelay, (ulong)long.MaxValue >> 21) << exponent, PeerMaxAckDelay);
            }
            _rtt.AddSample(now - largest.TimeSent, ackDelay);
            _firstRttSampleTime = Math.Min(_firstRttSampleTime, now);
        }

        foreach (var packet in _ackedScratch)
        {
            space.Acknowledged.Add(packet.PacketNumber, packet.PacketNumber + 1);
            space.Sent.Remove(packet.PacketNumber);
            if (packet.AckEliciting) space.AckElicitingInFlight--;
            if (packet.InFlight) _congestion.OnPacketAcknowledged(packet.TimeSent, packet.Size, now);
            foreach (var frame in packet.Frames) OnFrameAcknowledged(space, frame);
        }

        space.Acknowledged.TrimTo(64);
        DetectLostPackets(space, now);
        // RFC 9002 §6.2.1: an acknowledgement resets the PTO backoff.
        _ptoCount = 0;
    }

    private void OnFrameAcknowledged(PacketNumberSpace space, SentFrame frame)
    {
        switch (frame.Kind)
        {
            case SentFrameKind.Crypto:
                space.Crypto.OnAcknowledged(frame.Offset, frame.Length, fin: false);
                break;
            case SentFrameKind.Stream:
                if (_streams.TryGetValue(frame.StreamId, out var stream) && stream.Send is { } send)
                {
                    send.OnAcknowledged(frame.Offset, frame.Length, frame.Fin);
                    TryRetireStream(stream);
                }
                break;
            case SentFrameKind.ResetStream:
                if (_streams.TryGetValue(frame.StreamId, out var reset))
                {
                    reset.ResetAcknowledged = true;
                    TryRetireStream(reset);
                }
                break;
            case SentFrameKind.Ack:
                // RFC 9000 §13.2.4: once an ACK is acknowledged, ranges below its largest need not be repeated.
                space.Received.Remove(0, Math.Max(0, frame.LargestAcknowledged - 2 * PacketNumberSpace.MaxAckRanges));
                break;
        }
    }

    private void DetectLostPackets(PacketNumberSpace space, long now)
    {
        space.LossTime = long.MaxValue;
        var lossDelay = _rtt.LossDelay;
        var lostSendTime = now - lossDelay;
        List<SentPacket>? lost = null;
        foreach (var (number, packet) in space.Sent)
        {
            if (number > space.LargestAcknowledged) break;
            // RFC 9002 §6.1: lost by the packet threshold or the time threshold.
            if (packet.TimeSent <= lostSendTime || space.LargestAcknowledged >= number + PacketThreshold)
                (lost ??= []).Add(packet);
            else
                space.LossTime = Math.Min(space.LossTime, packet.TimeSent + lossDelay);
        }
        if (lost is null) return;

        var bytes = 0;
        long largestLostTime = 0;
        foreach (var packet in lost)
        {
            space.Sent.Remove(packet.PacketNumber);
            if (packet.AckEliciting) space.AckElicitingInFlight--;
            if (packet.InFlight) bytes += packet.Size;
            largestLostTime = Math.Max(largestLostTime, packet.TimeSent);
            PacketsDeclaredLost++;
            foreach (var frame in packet.Frames) OnFrameLost(space, frame);
        }
        if (bytes > 0) _congestion.OnPacketsLost(largestLostTime, bytes, now);
        if (IsPersistentCongestion(space, lost))
        {
            PersistentCongestionEvents++;
            _congestion.OnPersistentCongestion();
        }
    }

    /// <summary>
    /// RFC 9002 §7.6.2: two ack-eliciting packets, both sent after the first RTT sample, lost more than the persistent
    /// congestion duration apart, with nothing sent between them acknowledged.
    /// </summary>
    private bool IsPersistentCongestion(PacketNumberSpace space, List<SentPacket> lost)
    {
        SentPacket? first = null, last = null;
        foreach (var packet in lost)
        {
            if (!packet.AckEliciting || packet.TimeSent <= _firstRttSampleTime) continue;
            first ??= packet;
            last = packet;
        }
        if (first is null || last is null || ReferenceEquals(first, last)) return false;
        var duration = (_rtt.SmoothedRtt + Math.Max(4 * _rtt.RttVariance, RttEstimator.Granularity) + PeerMaxAckDelay) * PersistentCongestionThreshold;
        if (last.TimeSent - first.TimeSent <= duration) return false;
        return !space.Acknowledged.Overlapping(first.PacketNumber + 1, last.PacketNumber).Any();
    }

    /// <summary>RFC 9000 §13.3: what a lost frame's information needs, rather than the frame itself, is sent again.</summary>
    private void OnFrameLost(PacketNumberSpace space, SentFrame frame)
    {
        switch (frame.Kind)
        {
            case SentFrameKind.Crypto:
                space.Crypto.OnLost(frame.Offset, frame.Length, fin: false);
                break;
            case SentFrameKind.Stream:
                if (_streams.TryGetValue(frame.StreamId, out var stream) && stream.Send is { } send && !stream.ResetSent)
                    send.OnLost(frame.Offset, frame.Length, frame.Fin);
                break;
            case SentFrameKind.ResetStream:
                if (_streams.TryGetValue(frame.StreamId, out var reset) && !reset.ResetAcknowledged)
                {
                    reset.ResetSent = false;
                    reset.ResetPending = true;
                }
                break;
            case SentFrameKind.StopSending:
                if (_streams.TryGetValue(frame.StreamId, out var stop) && !stop.ReceiveDone) stop.StopSendingPending = true;
                break;
            case SentFrameKind.MaxStreamData:
                // The current value goes out, which is at least the lost one.
                if (_streams.TryGetValue(frame.StreamId, out var credit) && !credit.ReceiveDone && credit.FinalSize is null)
                    credit.MaxStreamDataPending = true;
                break;
            case SentFrameKind.MaxData:
                _maxDataPending = true;
                break;
            case SentFrameKind.MaxStreamsBidirectional:
                _maxStreamsBidiPending = true;
                break;
            case SentFrameKind.MaxStreamsUnidirectional:
                _maxStreamsUniPending = true;
                break;
            case SentFrameKind.HandshakeDone:
                _handshakeDonePending = true;
                break;
            case SentFrameKind.NewConnectionId:
                if (_localConnectionIds.ContainsKey((ulong)frame.Offset)) _newConnectionIdsToSend.Add((ulong)frame.Offset);
                break;
            case SentFrameKind.RetireConnectionId:
                _retireConnectionIdsToSend.Add((ulong)frame.Offset);
                break;
        }
    }

    /// <summary>The loss time or PTO deadline (RFC 9002 §A.8), and the space it belongs to.</summary>
    private long LossDetectionDeadline(out PacketNumberSpace? space)
    {
        space = null;
        var deadline = long.MaxValue;
        foreach (var candidate in _spaces)
        {
            if (candidate.Discarded) continue;
            if (candidate.LossTime < deadline)
            {
                deadline = candidate.LossTime;
                space = candidate;
            }
        }
        if (space is not null) return deadline;

        // RFC 9002 §A.6: a server blocked by the amplification limit arms no PTO; the client's next datagram unblocks it.
        if (!_addressValidated && _options.AmplificationFactor * _bytesReceivedUnvalidated - _bytesSentUnvalidated < MinimumPacketRoom)
            return long.MaxValue;
        foreach (var candidate in _spaces)
        {
            if (candidate.Discarded || candidate.AckElicitingInFlight == 0) continue;
            // RFC 9002 §6.2.1: no application-data PTO before the handshake is confirmed.
            if (candidate.Level == EncryptionLevel.OneRtt && !_handshakeComplete) continue;
            var time = candidate.TimeOfLastAckElicitingSent + ProbeTimeout(candidate.Level);
            if (time < deadline)
            {
                deadline = time;
                space = candidate;
            }
        }
        return deadline;
    }

    private void OnLossDetectionTimeout(PacketNumberSpace space, long now)
    {
        if (space.LossTime != long.MaxValue)
        {
            DetectLostPackets(space, now);
            return;
        }

        // RFC 9002 §6.2.4: send one or two probes; handshake data is sent again in full so a lost flight recovers
        // within one PTO rather than one packet per PTO.
        _ptoCount++;
        space.ProbesPending = 2;
        if (space.Level != EncryptionLevel.OneRtt)
        {
            foreach (var packet in space.Sent.Values)
            {
                foreach (var frame in packet.Frames)
                {
                    if (frame.Kind == SentFrameKind.Crypto) space.Crypto.OnLost(frame.Offset, frame.Length, fin: false);
                }
            }
        }
        else
        {
            // The oldest unacknowledged stream data goes out again as the probe's content.
            var oldest = space.Sent.Values.FirstOrDefault(p => p.AckEliciting);
            if (oldest is not null)
            {
                foreach (var frame in oldest.Frames) OnFrameLost(space, frame);
            }
        }
    }
}
