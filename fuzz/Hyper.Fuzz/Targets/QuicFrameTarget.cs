using Hyper.Quic;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-05: the QUIC frame reader (RFC 9000 §12.4, §19) over one decrypted payload, ACK ranges enumerated and CRYPTO
/// data put through the handshake reassembler. The first byte picks the packet type (bits 0–1: Initial, 0-RTT,
/// Handshake, 1-RTT) and the receiver (bit 2: client); the rest is the payload. Invariants: only
/// <see cref="QuicTransportException"/> escapes; ACK ranges are ordered, non-negative and descending; the
/// reassembler never holds more than its limit.
/// </summary>
public sealed class QuicFrameTarget : IFuzzTarget
{
    private const int MaxCryptoBuffered = 4096;
    private static readonly PacketType[] Types = [PacketType.Initial, PacketType.ZeroRtt, PacketType.Handshake, PacketType.OneRtt];

    public string Name => "quic-frames";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var type = Types[input[0] & 3];
        var receiverIsServer = (input[0] & 4) == 0;
        var crypto = new CryptoStreamReassembler(MaxCryptoBuffered);
        try
        {
            var reader = new QuicFrameReader(input[1..], type, receiverIsServer);
            while (reader.TryRead(out var frame))
            {
                switch (frame.Type)
                {
                    case FrameType.Ack or FrameType.AckEcn:
                        CheckRanges(frame.Ack);
                        break;
                    case FrameType.Crypto:
                        crypto.Write(frame.Crypto.Offset, frame.Crypto.Data);
                        if (crypto.BufferedBytes > MaxCryptoBuffered)
                            throw new FuzzInvariantException($"the CRYPTO reassembler holds {crypto.BufferedBytes} bytes, over its {MaxCryptoBuffered} limit");
                        crypto.Consume(crypto.Available.Length);
                        break;
                }
            }
        }
        catch (QuicTransportException)
        {
            // A connection error with its RFC 9000 §20.1 code: the connection closes with it.
        }
    }

    private static void CheckRanges(AckFrame ack)
    {
        long previousSmallest = long.MaxValue;
        var count = 0;
        foreach (var range in ack.GetRanges())
        {
            count++;
            if (range.Smallest < 0 || range.Smallest > range.Largest)
                throw new FuzzInvariantException($"ACK range [{range.Smallest}, {range.Largest}] is not a range of packet numbers");
            // RFC 9000 §19.3.1: each range is below the previous one, with a gap of at least one.
            if (range.Largest >= previousSmallest - 1 && count > 1)
                throw new FuzzInvariantException($"ACK range [{range.Smallest}, {range.Largest}] does not descend below {previousSmallest}");
            previousSmallest = range.Smallest;
        }
        if (count != ack.AdditionalRangeCount + 1)
            throw new FuzzInvariantException($"ACK frame enumerated {count} ranges, declared {ack.AdditionalRangeCount + 1}");
    }
}
