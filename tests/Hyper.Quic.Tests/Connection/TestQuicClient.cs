using System.Security.Cryptography;
using Hyper.Quic.Connection;
using Hyper.Quic.Crypto;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;
using Hyper.Quic.Tests.Tls;
using Hyper.Quic.Tls;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tests.Connection;

/// <summary>
/// A minimal QUIC client for driving <see cref="QuicConnection"/> in memory, built from the packet, frame and crypto
/// pieces and <see cref="TestTlsClient"/>. It is reliable in the simplest way: every ack-eliciting frame it sends is
/// kept, and frames of packets unacknowledged after <see cref="RetransmitTimeout"/> are sent again. It acknowledges
/// every ack-eliciting packet at once. Times are microseconds.
/// </summary>
internal sealed class TestQuicClient : IDisposable
{
    public const int ConnectionIdLength = 8;

    private readonly Space[] _spaces = [new(EncryptionLevel.Initial), new(EncryptionLevel.Handshake), new(EncryptionLevel.OneRtt)];
    private readonly ulong[] _cryptoOffsets = new ulong[3];
    private readonly Dictionary<ulong, long> _streamOffsets = [];
    private PacketKeys? _oneRttReceiveKeys;
    private PacketKeys? _oneRttSendKeys;
    private bool _receivePhase;
    private bool _sendPhase;
    private bool _initialPeerIdSeen;

    public TestQuicClient(Func<TransportParameters, TestTlsClient>? tlsFactory = null, TransportParameters? parameters = null)
    {
        OriginalDestinationConnectionId = RandomNumberGenerator.GetBytes(8);
        SourceConnectionId = RandomNumberGenerator.GetBytes(ConnectionIdLength);
        DestinationConnectionId = OriginalDestinationConnectionId;
        var transport = (parameters ?? DefaultParameters) with { InitialSourceConnectionId = new ConnectionId(SourceConnectionId) };
        Tls = tlsFactory?.Invoke(transport) ?? new TestTlsClient { TransportParameters = transport };
        var (client, server) = InitialSecrets.Derive(OriginalDestinationConnectionId);
        _spaces[0].Send = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, client));
        _spaces[0].Receive = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, server));
    }

    public static TransportParameters DefaultParameters => new()
    {
        MaxIdleTimeout = 30_000,
        InitialMaxData = 16 << 20,
        InitialMaxStreamDataBidiLocal = 16 << 20,
        InitialMaxStreamDataBidiRemote = 16 << 20,
        InitialMaxStreamDataUni = 16 << 20,
        InitialMaxStreamsBidi = 10,
        InitialMaxStreamsUni = 10,
        ActiveConnectionIdLimit = 4,
    };

    public TestTlsClient Tls { get; }

    /// <summary>The token Initials carry (RFC 9000 §17.2.2): empty until a Retry supplies one.</summary>
    public byte[] Token { get; private set; } = [];

    /// <summary>
    /// Follows a Retry (RFC 9000 §17.2.5.2): the Retry's Source Connection ID becomes the destination, the Initial keys
    /// are derived again from it (RFC 9001 §5.2), and the Initial data goes out again carrying the token.
    /// </summary>
    public void AcceptRetry(byte[] retrySourceConnectionId, byte[] token)
    {
        DestinationConnectionId = retrySourceConnectionId;
        Token = token;
        var (client, server) = InitialSecrets.Derive(retrySourceConnectionId);
        _spaces[0].Send = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, client));
        _spaces[0].Receive = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, server));
        foreach (var (_, sent) in _spaces[0].Sent) _spaces[0].Queue.InsertRange(0, sent.Frames);
        _spaces[0].Sent.Clear();
    }

    public byte[] OriginalDestinationConnectionId { get; }

    public byte[] SourceConnectionId { get; }

    public byte[] DestinationConnectionId { get; set; }

    public long RetransmitTimeout { get; set; } = 200_000;

    /// <summary>Sends only ACKs (and nothing when nothing is to be acknowledged); for optimistic-sender tests.</summary>
    public bool Silent { get; set; }

    public bool HandshakeDoneReceived { get; private set; }

    public bool HandshakeKeysInstalled => _spaces[1].Send is not null;

    public bool OneRttKeysInstalled => _spaces[2].Send is not null;

    public (ulong ErrorCode, ulong FrameType, bool IsApplication, string Reason)? CloseReceived { get; private set; }

    public List<(ulong Sequence, byte[] Id)> NewConnectionIds { get; } = [];

    public Dictionary<ulong, StreamReceiver> Streams { get; } = [];

    public List<(ulong StreamId, ulong ErrorCode, ulong FinalSize)> ResetsReceived { get; } = [];

    public List<(ulong StreamId, ulong ErrorCode)> StopSendingReceived { get; } = [];

    public ulong MaxData { get; private set; }

    public Dictionary<ulong, ulong> MaxStreamData { get; } = [];

    public ulong MaxStreamsBidi { get; private set; }

    public List<int> ReceivedDatagramSizes { get; } = [];

    public int PacketsReceived { get; private set; }

    public int LongestAckRanges { get; private set; }

    public byte[]? PathResponse { get; private set; }

    public void Start()
    {
        Tls.Start();
        PumpTls();
    }

    /// <summary>Queues stream data, cut into frames that fit a packet.</summary>
    public void SendStream(ulong streamId, ReadOnlySpan<byte> data, bool fin)
    {
        var offset = _streamOffsets.GetValueOrDefault(streamId);
        do
        {
            var chunk = Math.Min(1000, data.Length);
            var last = chunk == data.Length;
            var frame = new byte[chunk + 32];
            var writer = new QuicFrameWriter(frame);
            writer.TryWriteStream(streamId, (ulong)offset, data[..chunk], fin && last).Should().BeTrue();
            _spaces[2].Queue.Add(frame[..writer.BytesWritten]);
            offset += chunk;
            data = data[chunk..];
        } while (!data.IsEmpty);
        _streamOffsets[streamId] = offset;
    }

    /// <summary>Queues raw frame bytes for the given space, as they are: for malformed-frame tests.</summary>
    public void SendRawFrames(EncryptionLevel level, byte[] frames) => _spaces[(int)level].Queue.Add(frames);

    public void SendFrame(EncryptionLevel level, QuicFrameWriterAction write)
    {
        var buffer = new byte[1200];
        var writer = new QuicFrameWriter(buffer);
        write(ref writer);
        _spaces[(int)level].Queue.Add(buffer[..writer.BytesWritten]);
    }

    public delegate void QuicFrameWriterAction(ref QuicFrameWriter writer);

    /// <summary>Starts a key update (RFC 9001 §6.1): the next 1-RTT packets go out with the next keys and key phase.</summary>
    public void InitiateKeyUpdate()
    {
        _oneRttSendKeys = _oneRttSendKeys!.NextGeneration();
        var space = _spaces[2];
        var headerProtection = space.Send!.HeaderProtection;
        space.Send = new PacketProtection(new PacketAead(_oneRttSendKeys.Suite, _oneRttSendKeys.Key, _oneRttSendKeys.Iv), headerProtection);
        _sendPhase = !_sendPhase;
    }

    public void Receive(byte[] datagram, long now)
    {
        ReceivedDatagramSizes.Add(datagram.Length);
        var span = datagram.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            if (!PacketHeaderParser.TryParse(span[position..], ConnectionIdLength, out var header)) break;
            var length = header.Packet.Length;
            var type = header.Type;
            var pnOffset = header.PacketNumberOffset;
            var source = header.SourceConnectionId.ToArray();
            var packet = span.Slice(position, length);
            position += length;
            var space = type switch { PacketType.Initial => _spaces[0], PacketType.Handshake => _spaces[1], PacketType.OneRtt => _spaces[2], _ => null };
            if (space?.Receive is null) continue;
            if (type == PacketType.Initial && !_initialPeerIdSeen)
            {
                // RFC 9000 §7.2: the client switches to the server's Source Connection ID.
                _initialPeerIdSeen = true;
                DestinationConnectionId = source;
            }
            if (!TryOpen(space, packet, pnOffset, out var packetNumber, out var payload)) continue;
            PacketsReceived++;
            var ackEliciting = false;
            var reader = new QuicFrameReader(payload, type, receiverIsServer: false);
            while (reader.TryRead(out var frame))
            {
                ackEliciting |= frame.IsAckEliciting;
                Handle(space, frame, now);
            }
            space.Received.Add(packetNumber, packetNumber + 1);
            if (ackEliciting) space.AckPending = true;
        }
    }

    /// <summary>Builds every datagram the client wants to send now.</summary>
    public List<byte[]> Flush(long now)
    {
        foreach (var space in _spaces)
        {
            foreach (var (number, sent) in space.Sent.ToList())
            {
                if (now - sent.Time < RetransmitTimeout) continue;
                space.Sent.Remove(number);
                space.Queue.InsertRange(0, sent.Frames);
            }
        }

        var datagrams = new List<byte[]>();
        foreach (var space in _spaces)
        {
            if (space.Send is null) continue;
            while (space.AckPending || (!Silent && space.Queue.Count > 0))
            {
                datagrams.Add(BuildPacket(space, now));
                if (datagrams.Count > 100_000) throw new InvalidOperationException("The client keeps producing datagrams.");
            }
        }
        return datagrams;
    }

    /// <summary>When <see cref="Flush"/> would retransmit next.</summary>
    public long NextRetransmit => _spaces.SelectMany(s => s.Sent.Values).Select(p => p.Time + RetransmitTimeout).DefaultIfEmpty(long.MaxValue).Min();

    /// <summary>Builds a 1-RTT datagram around an arbitrary payload, bypassing the frame queue.</summary>
    public byte[] BuildRawOneRtt(byte[] payload) => Seal(_spaces[2], payload, payload.Length);

    private byte[] BuildPacket(Space space, long now)
    {
        if (space.Level == EncryptionLevel.Handshake && _spaces[0].Send is not null)
        {
            // RFC 9001 §4.9.1: a client discards Initial keys when it first sends a Handshake packet.
            _spaces[0].Send = null;
            _spaces[0].Receive = null;
            _spaces[0].Queue.Clear();
            _spaces[0].Sent.Clear();
            _spaces[0].AckPending = false;
        }
        var payload = new byte[1200];
        var writer = new QuicFrameWriter(payload.AsSpan(0, 1100));
        if (space.AckPending && !space.Received.IsEmpty)
        {
            var ranges = new List<PacketNumberRange>();
            for (var i = space.Received.Count - 1; i >= 0; i--) ranges.Add(new PacketNumberRange(space.Received[i].Start, space.Received[i].End - 1));
            writer.TryWriteAck(ranges.ToArray(), 0).Should().BeTrue();
        }
        space.AckPending = false;
        var length = writer.BytesWritten;
        var frames = new List<byte[]>();
        while (!Silent && space.Queue.Count > 0 && length + space.Queue[0].Length <= 1100)
        {
            var frame = space.Queue[0];
            space.Queue.RemoveAt(0);
            frame.CopyTo(payload.AsSpan(length));
            length += frame.Length;
            frames.Add(frame);
        }
        // RFC 9000 §14.1: a client pads datagrams with Initial packets to 1200 bytes (header about 30, tag 16).
        if (space.Level == EncryptionLevel.Initial) length = Math.Max(length, 1200 - 30 - PacketAead.TagLength);
        length = Math.Max(length, 4);
        if (frames.Count > 0) space.Sent[space.NextPacketNumber] = (now, frames);
        return Seal(space, payload, length);
    }

    private byte[] Seal(Space space, byte[] payload, int payloadLength)
    {
        var packetNumber = space.NextPacketNumber++;
        const int packetNumberLength = 4;
        var buffer = new byte[1500];
        int headerLength, pnOffset;
        if (space.Level == EncryptionLevel.OneRtt)
        {
            headerLength = PacketHeaderWriter.WriteShortHeader(buffer, DestinationConnectionId, packetNumber, packetNumberLength, _sendPhase);
            pnOffset = 1 + DestinationConnectionId.Length;
        }
        else
        {
            var type = space.Level == EncryptionLevel.Initial ? PacketType.Initial : PacketType.Handshake;
            headerLength = PacketHeaderWriter.WriteLongHeader(buffer, type, QuicVersion.Version1, DestinationConnectionId, SourceConnectionId,
                type == PacketType.Initial ? Token : [],
                packetNumber, packetNumberLength, payloadLength + PacketAead.TagLength, out pnOffset);
        }
        payload.AsSpan(0, payloadLength).CopyTo(buffer.AsSpan(headerLength));
        var total = headerLength + payloadLength + PacketAead.TagLength;
        space.Send!.Protect(buffer.AsSpan(0, total), pnOffset, packetNumber);
        return buffer[..total];
    }

    private bool TryOpen(Space space, Span<byte> packet, int pnOffset, out long packetNumber, out ReadOnlySpan<byte> payload)
    {
        packetNumber = 0;
        payload = default;
        if (!PacketProtection.TryRemoveHeaderProtection(space.Receive!.HeaderProtection, packet, pnOffset, out var pnLength, out var truncated)) return false;
        packetNumber = PacketNumberEncoding.Decode(space.LargestReceived, truncated, pnLength);
        var payloadOffset = pnOffset + pnLength;
        var aead = space.Receive.Aead;
        PacketAead? next = null;
        if (space.Level == EncryptionLevel.OneRtt && ((packet[0] & 0x04) != 0) != _receivePhase)
        {
            var keys = _oneRttReceiveKeys!.NextGeneration();
            next = new PacketAead(keys.Suite, keys.Key, keys.Iv);
            aead = next;
            _oneRttReceiveKeys = keys;
        }
        if (!aead.TryOpen(packetNumber, packet[..payloadOffset], packet[payloadOffset..^PacketAead.TagLength], packet[^PacketAead.TagLength..]))
            return false;
        if (next is not null)
        {
            space.Receive = new PacketProtection(next, space.Receive.HeaderProtection);
            _receivePhase = !_receivePhase;
        }
        space.LargestReceived = Math.Max(space.LargestReceived, packetNumber);
        payload = packet.Slice(payloadOffset, packet.Length - payloadOffset - PacketAead.TagLength);
        return true;
    }

    private void Handle(Space space, QuicFrame frame, long now)
    {
        switch (frame.Type)
        {
            case FrameType.Ack:
                LongestAckRanges = Math.Max(LongestAckRanges, frame.Ack.AdditionalRangeCount + 1);
                foreach (var range in frame.Ack.GetRanges())
                {
                    foreach (var number in space.Sent.Keys.Where(n => n >= range.Smallest && n <= range.Largest).ToList())
                        space.Sent.Remove(number);
                }
                break;
            case FrameType.Crypto:
                Tls.Receive(space.Level, frame.Crypto.Offset, frame.Crypto.Data);
                PumpTls();
                break;
            case FrameType.HandshakeDone:
                HandshakeDoneReceived = true;
                // RFC 9001 §4.9.2: the client discards Handshake keys when the handshake is confirmed.
                _spaces[1].Send = null;
                _spaces[1].Receive = null;
                _spaces[1].Queue.Clear();
                _spaces[1].Sent.Clear();
                _spaces[1].AckPending = false;
                break;
            case FrameType.Stream:
                var stream = frame.Stream;
                if (!Streams.TryGetValue(stream.StreamId, out var receiver)) Streams[stream.StreamId] = receiver = new StreamReceiver();
                receiver.Write(stream.Offset, stream.Data, stream.Fin);
                break;
            case FrameType.NewConnectionId:
                NewConnectionIds.Add((frame.NewConnectionId.SequenceNumber, frame.NewConnectionId.ConnectionId.ToArray()));
                break;
            case FrameType.MaxData:
                MaxData = Math.Max(MaxData, frame.FlowControl.Limit);
                break;
            case FrameType.MaxStreamData:
                MaxStreamData[frame.FlowControl.StreamId] = Math.Max(MaxStreamData.GetValueOrDefault(frame.FlowControl.StreamId), frame.FlowControl.Limit);
                break;
            case FrameType.MaxStreamsBidirectional:
                MaxStreamsBidi = Math.Max(MaxStreamsBidi, frame.FlowControl.Limit);
                break;
            case FrameType.ResetStream:
                ResetsReceived.Add((frame.ResetStream.StreamId, frame.ResetStream.ApplicationErrorCode, frame.ResetStream.FinalSize));
                break;
            case FrameType.StopSending:
                StopSendingReceived.Add((frame.StopSending.StreamId, frame.StopSending.ApplicationErrorCode));
                break;
            case FrameType.PathResponse:
                PathResponse = frame.PathData.ToArray();
                break;
            case FrameType.ConnectionClose:
            case FrameType.ApplicationClose:
                var close = frame.ConnectionClose;
                CloseReceived = (close.ErrorCode, close.TriggeringFrameType, close.IsApplicationClose, System.Text.Encoding.UTF8.GetString(close.ReasonPhrase));
                break;
        }
        _ = now;
    }

    private void PumpTls()
    {
        while (Tls.Outgoing.TryDequeue(out var outgoing))
        {
            var index = (int)outgoing.Level;
            var data = outgoing.Data;
            for (var offset = 0; offset < data.Length; offset += 1000)
            {
                var chunk = data.AsSpan(offset, Math.Min(1000, data.Length - offset));
                var frame = new byte[chunk.Length + 16];
                var writer = new QuicFrameWriter(frame);
                writer.TryWriteCrypto(_cryptoOffsets[index] + (ulong)offset, chunk).Should().BeTrue();
                _spaces[index].Queue.Add(frame[..writer.BytesWritten]);
            }
            _cryptoOffsets[index] += (ulong)data.Length;
        }

        if (_spaces[1].Receive is null && !HandshakeDoneReceived && Tls.Suite is { } suite && Tls.Group is not null && Tls.Schedule.ServerHandshakeTrafficSecret is { } serverHandshake)
        {
            _spaces[1].Receive = PacketProtection.Create(PacketKeys.Derive(suite, serverHandshake));
            _spaces[1].Send = PacketProtection.Create(PacketKeys.Derive(suite, Tls.Schedule.ClientHandshakeTrafficSecret!));
            // Move CRYPTO frames queued before the keys existed (none at Handshake level) is not needed: the Finished
            // is queued after the keys. RFC 9001 §4.9.1: the client discards Initial keys when it first sends Handshake.
        }
        if (_spaces[2].Receive is null && Tls.IsComplete)
        {
            _oneRttReceiveKeys = PacketKeys.Derive(Tls.Suite!.Value, Tls.Schedule.ServerApplicationTrafficSecret!);
            _oneRttSendKeys = PacketKeys.Derive(Tls.Suite!.Value, Tls.Schedule.ClientApplicationTrafficSecret!);
            _spaces[2].Receive = PacketProtection.Create(_oneRttReceiveKeys);
            _spaces[2].Send = PacketProtection.Create(_oneRttSendKeys);
        }
    }

    public void Dispose() => Tls.Dispose();

    private sealed class Space(EncryptionLevel level)
    {
        public EncryptionLevel Level { get; } = level;

        public PacketProtection? Send { get; set; }

        public PacketProtection? Receive { get; set; }

        public long NextPacketNumber { get; set; }

        public long LargestReceived { get; set; } = -1;

        public RangeSet Received { get; } = new();

        public bool AckPending { get; set; }

        public List<byte[]> Queue { get; } = [];

        public SortedDictionary<long, (long Time, List<byte[]> Frames)> Sent { get; } = [];
    }
}

/// <summary>The bytes the server sent on one stream, put back in order.</summary>
internal sealed class StreamReceiver
{
    private readonly SortedDictionary<long, byte[]> _pieces = [];
    private readonly MemoryStream _assembled = new();

    public long? FinalSize { get; private set; }

    public byte[] Data => _assembled.ToArray();

    public bool IsComplete => FinalSize is { } size && _assembled.Length == size;

    public void Write(ulong offset, ReadOnlySpan<byte> data, bool fin)
    {
        if (fin) FinalSize = (long)offset + data.Length;
        if (data.Length > 0) _pieces[(long)offset] = data.ToArray();
        while (true)
        {
            var progressed = false;
            foreach (var (start, bytes) in _pieces.ToList())
            {
                var end = start + bytes.Length;
                if (start > _assembled.Length) break;
                _pieces.Remove(start);
                if (end > _assembled.Length) _assembled.Write(bytes, (int)(_assembled.Length - start), (int)(end - _assembled.Length));
                progressed = true;
            }
            if (!progressed) break;
        }
    }
}
