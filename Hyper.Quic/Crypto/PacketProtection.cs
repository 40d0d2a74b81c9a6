using Hyper.Quic.Packets;

namespace Hyper.Quic.Crypto;

/// <summary>
/// Protection of whole packets in place (RFC 9001 §5.3, §5.4): the payload is sealed, then a sample of the ciphertext
/// masks the packet number and the low bits of the first byte. Removal runs in the opposite order. Nothing is
/// allocated per packet. The AEAD keys of one key phase and the header protection key (which survives key updates,
/// RFC 9001 §6) are held together for the common case; the connection swaps the AEAD on a key update.
/// </summary>
public sealed class PacketProtection : IDisposable
{
    private const byte LongHeaderBit = 0x80;

    public PacketProtection(PacketAead aead, HeaderProtection headerProtection)
    {
        Aead = aead;
        HeaderProtection = headerProtection;
    }

    public PacketAead Aead { get; }

    public HeaderProtection HeaderProtection { get; }

    public static PacketProtection Create(PacketKeys keys) => new(
        new PacketAead(keys.Suite, keys.Key, keys.Iv), HeaderProtection.Create(keys.Suite, keys.HeaderProtectionKey));

    /// <summary>
    /// Protects a packet laid out as header (packet number in clear, its length in the first byte's low two bits),
    /// payload, then <see cref="PacketAead.TagLength"/> bytes reserved for the tag; <paramref name="packet"/> spans
    /// exactly that. The packet number and payload together must be at least 4 bytes so that the 16-byte sample exists
    /// (RFC 9001 §5.4.2); senders pad to ensure it.
    /// </summary>
    public void Protect(Span<byte> packet, int packetNumberOffset, long packetNumber)
    {
        var packetNumberLength = (packet[0] & 0x03) + 1;
        var payloadOffset = packetNumberOffset + packetNumberLength;
        if (packet.Length < packetNumberOffset + 4 + HeaderProtection.SampleLength)
            throw new ArgumentException("Packet too short to sample for header protection; pad the payload.", nameof(packet));

        Aead.Seal(
            packetNumber, packet[..payloadOffset], packet[payloadOffset..^PacketAead.TagLength], packet[^PacketAead.TagLength..]);
        ApplyHeaderProtection(HeaderProtection, packet, packetNumberOffset);
    }

    /// <summary>
    /// Removes header protection and decrypts in place. On success the packet number is reconstructed against
    /// <paramref name="largestReceived"/> (-1 if none), and the plaintext payload is
    /// <c>packet.Slice(payloadOffset, payloadLength)</c>. False when the packet is too short or does not authenticate:
    /// the packet is then to be dropped (RFC 9001 §5.3). Non-zero reserved bits in an authenticated packet are a
    /// PROTOCOL_VIOLATION (RFC 9000 §17.2, §17.3.1).
    /// </summary>
    public bool TryUnprotect(
        Span<byte> packet, int packetNumberOffset, long largestReceived,
        out long packetNumber, out int payloadOffset, out int payloadLength)
    {
        packetNumber = 0;
        payloadOffset = 0;
        payloadLength = 0;
        if (!TryRemoveHeaderProtection(HeaderProtection, packet, packetNumberOffset, out var packetNumberLength, out var truncated))
            return false;

        payloadOffset = packetNumberOffset + packetNumberLength;
        if (packet.Length - payloadOffset < PacketAead.TagLength) return false;
        packetNumber = PacketNumberEncoding.Decode(largestReceived, truncated, packetNumberLength);
        if (!Aead.TryOpen(packetNumber, packet[..payloadOffset], packet[payloadOffset..^PacketAead.TagLength], packet[^PacketAead.TagLength..]))
            return false;

        var reservedBits = (packet[0] & LongHeaderBit) != 0 ? 0x0c : 0x18;
        if ((packet[0] & reservedBits) != 0)
            throw new QuicTransportException(QuicTransportErrorCode.ProtocolViolation, "Reserved header bits are set.");
        payloadLength = packet.Length - payloadOffset - PacketAead.TagLength;
        return true;
    }

    /// <summary>Masks the first byte's low bits and the packet number (RFC 9001 §5.4.1).</summary>
    public static void ApplyHeaderProtection(HeaderProtection headerProtection, Span<byte> packet, int packetNumberOffset)
    {
        var packetNumberLength = (packet[0] & 0x03) + 1;
        Span<byte> mask = stackalloc byte[HeaderProtection.MaskLength];
        // RFC 9001 §5.4.2: the sample starts 4 bytes after the packet number's start, whatever its actual length.
        headerProtection.ComputeMask(packet.Slice(packetNumberOffset + 4, HeaderProtection.SampleLength), mask);
        packet[0] ^= (byte)(mask[0] & ((packet[0] & LongHeaderBit) != 0 ? 0x0f : 0x1f));
        for (var i = 0; i < packetNumberLength; i++) packet[packetNumberOffset + i] ^= mask[1 + i];
    }

    /// <summary>
    /// Unmasks the first byte and the packet number (RFC 9001 §5.4.1) and returns the truncated packet number. False
    /// when the packet is too short to hold the sample.
    /// </summary>
    public static bool TryRemoveHeaderProtection(
        HeaderProtection headerProtection, Span<byte> packet, int packetNumberOffset, out int packetNumberLength, out long truncatedPacketNumber)
    {
        packetNumberLength = 0;
        truncatedPacketNumber = 0;
        if (packetNumberOffset < 1 || packet.Length < packetNumberOffset + 4 + HeaderProtection.SampleLength) return false;

        Span<byte> mask = stackalloc byte[HeaderProtection.MaskLength];
        headerProtection.ComputeMask(packet.Slice(packetNumberOffset + 4, HeaderProtection.SampleLength), mask);
        packet[0] ^= (byte)(mask[0] & ((packet[0] & LongHeaderBit) != 0 ? 0x0f : 0x1f));
        packetNumberLength = (packet[0] & 0x03) + 1;
        for (var i = 0; i < packetNumberLength; i++) packet[packetNumberOffset + i] ^= mask[1 + i];
        truncatedPacketNumber = PacketNumberEncoding.ReadTruncated(packet[packetNumberOffset..], packetNumberLength);
        return true;
    }

    public void Dispose()
    {
        Aead.Dispose();
        HeaderProtection.Dispose();
    }
}
