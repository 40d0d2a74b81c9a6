using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

/// <summary>
/// One packet number space (RFC 9000 §12.3): its keys, the packet numbers received (to acknowledge and to drop
/// duplicates), the packets sent and not yet acknowledged, and its CRYPTO stream's sending side.
/// </summary>
internal sealed class PacketNumberSpace : IDisposable
{
    /// <summary>How many ACK ranges are remembered; older ones are forgotten (RFC 9000 §13.2.3 lets a receiver).</summary>
    public const int MaxAckRanges = 32;

    public PacketNumberSpace(EncryptionLevel level) => Level = level;

    public EncryptionLevel Level { get; }

    public PacketType PacketType => Level switch
    {
        EncryptionLevel.Initial => PacketType.Initial,
        EncryptionLevel.Handshake => PacketType.Handshake,
        _ => PacketType.OneRtt,
    };

    public PacketProtection? ReceiveProtection { get; set; }

    public PacketProtection? SendProtection { get; set; }

    /// <summary>RFC 9001 §4.9: keys dropped; nothing is sent or accepted in this space any more.</summary>
    public bool Discarded { get; private set; }

    // Receiving.
    public RangeSet Received { get; } = new();

    public long LargestReceived { get; set; } = -1;

    public long LargestReceivedTime { get; set; }

    public bool AckPending { get; set; }

    public int AckElicitingSinceAck { get; set; }

    /// <summary>When the pending ACK must go out at the latest; long.MaxValue when none is due.</summary>
    public long AckDeadline { get; set; } = long.MaxValue;

    // Sending.
    public long NextPacketNumber { get; set; }

    public long LargestAcknowledged { get; set; } = -1;

    public SortedDictionary<long, SentPacket> Sent { get; } = [];

    public long TimeOfLastAckElicitingSent { get; set; }

    /// <summary>RFC 9002 §6.1.2: when the time threshold declares the next packet lost; long.MaxValue when unset.</summary>
    public long LossTime { get; set; } = long.MaxValue;

    /// <summary>Ack-eliciting probe packets the PTO asked for (RFC 9002 §6.2.4).</summary>
    public int ProbesPending { get; set; }

    public SendBuffer Crypto { get; } = new();

    /// <summary>Recently acknowledged packet numbers, for the persistent congestion check (RFC 9002 §7.6.2).</summary>
    public RangeSet Acknowledged { get; } = new();

    public int AckElicitingInFlight { get; set; }

    public bool CanSend => SendProtection is not null && !Discarded;

    public bool CanReceive => ReceiveProtection is not null && !Discarded;

    public void Discard()
    {
        Discarded = true;
        Sent.Clear();
        AckElicitingInFlight = 0;
        LossTime = long.MaxValue;
        ProbesPending = 0;
        AckPending = false;
        AckDeadline = long.MaxValue;
        Dispose();
    }

    public void Dispose()
    {
        ReceiveProtection?.Dispose();
        SendProtection?.Dispose();
        ReceiveProtection = null;
        SendProtection = null;
    }
}
