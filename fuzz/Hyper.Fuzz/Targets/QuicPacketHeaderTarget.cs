using Hyper.Quic;
using Hyper.Quic.Packets;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-05: the QUIC packet header parser (RFC 9000 §17, RFC 8999) walking the coalesced packets of one datagram.
/// The first byte picks the short-header connection ID length (0–20); the rest is the datagram. Invariants: no
/// exception escapes (a malformed packet is skipped, RFC 9000 §12.2); every packet lies inside the datagram with its
/// connection IDs, token and packet-number offset inside the packet; each step consumes at least one byte.
/// </summary>
public sealed class QuicPacketHeaderTarget : IFuzzTarget
{
    public string Name => "quic-packet-header";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var cidLength = input[0] % (ConnectionId.MaxLength + 1);
        var datagram = input[1..];

        PacketHeaderParser.TryReadLongHeaderVersion(datagram, out _);

        var packets = 0;
        var covered = 0;
        foreach (var header in new CoalescedPacketEnumerator(datagram, cidLength))
        {
            packets++;
            if (header.Packet.IsEmpty) throw new FuzzInvariantException("an empty packet was parsed");
            // RFC 9000 §17.2: 20 bytes at most in version 1; other versions (and Version Negotiation, RFC 8999 §6)
            // may carry up to 255.
            if (header.IsLongHeader && header.Version == QuicVersion.Version1 && (header.DestinationConnectionId.Length > ConnectionId.MaxLength || header.SourceConnectionId.Length > ConnectionId.MaxLength))
                throw new FuzzInvariantException("a version 1 connection ID is longer than 20 bytes (RFC 9000 §17.2)");
            if (header.Type is not (PacketType.Retry or PacketType.VersionNegotiation) && (header.PacketNumberOffset <= 0 || header.PacketNumberOffset > header.Packet.Length))
                throw new FuzzInvariantException($"packet number offset {header.PacketNumberOffset} outside a {header.Packet.Length}-byte packet");
            covered += header.Packet.Length;
            if (covered > datagram.Length) throw new FuzzInvariantException("coalesced packets are longer than the datagram");
        }
        if (packets > datagram.Length) throw new FuzzInvariantException("more packets than bytes");
    }
}
