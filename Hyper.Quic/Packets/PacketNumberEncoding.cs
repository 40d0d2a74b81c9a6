namespace Hyper.Quic.Packets;

/// <summary>
/// Packet number truncation on send and reconstruction on receipt (RFC 9000 §17.1, Appendix A.2 and A.3).
/// Packet numbers are 62-bit; the wire carries only the low 1-4 bytes.
/// </summary>
public static class PacketNumberEncoding
{
    /// <summary>The largest packet number (RFC 9000 §12.3).</summary>
    public const long MaxPacketNumber = (1L << 62) - 1;

    /// <summary>
    /// How many bytes to send <paramref name="packetNumber"/> in, so that the peer can recover it while up to twice the
    /// unacknowledged range is in flight (RFC 9000 §17.1, Appendix A.2). <paramref name="largestAcknowledged"/> is -1
    /// when nothing in this packet number space has been acknowledged yet.
    /// </summary>
    public static int GetEncodedLength(long packetNumber, long largestAcknowledged)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packetNumber);
        var unacknowledged = largestAcknowledged < 0 ? packetNumber + 1 : packetNumber - largestAcknowledged;
        if (unacknowledged <= 0)
            throw new ArgumentOutOfRangeException(nameof(largestAcknowledged), "Packet numbers only grow.");
        // The smallest n with 2 * unacknowledged <= 2^(8n), i.e. more than twice the range is representable.
        var range = (ulong)unacknowledged * 2;
        if (range <= 1UL << 8) return 1;
        if (range <= 1UL << 16) return 2;
        if (range <= 1UL << 24) return 3;
        if (range <= 1UL << 32) return 4;
        throw new ArgumentOutOfRangeException(nameof(packetNumber), "Too many packets unacknowledged for a 4-byte packet number.");
    }

    /// <summary>Writes the low <paramref name="length"/> bytes of <paramref name="packetNumber"/>, big-endian.</summary>
    public static void WriteTruncated(Span<byte> destination, long packetNumber, int length)
    {
        if (length is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(length));
        for (var i = 0; i < length; i++)
            destination[i] = (byte)(packetNumber >> (8 * (length - 1 - i)));
    }

    /// <summary>Reads a truncated packet number of <paramref name="length"/> bytes, big-endian.</summary>
    public static long ReadTruncated(ReadOnlySpan<byte> source, int length)
    {
        long value = 0;
        for (var i = 0; i < length; i++) value = (value << 8) | source[i];
        return value;
    }

    /// <summary>
    /// Recovers the full packet number closest to the one after <paramref name="largestReceived"/> (RFC 9000
    /// Appendix A.3). <paramref name="largestReceived"/> is -1 before any packet of the space was processed.
    /// </summary>
    public static long Decode(long largestReceived, long truncated, int lengthInBytes)
    {
        var expected = largestReceived + 1;
        var window = 1L << (lengthInBytes * 8);
        var halfWindow = window / 2;
        var mask = window - 1;
        var candidate = (expected & ~mask) | truncated;
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window) return candidate + window;
        if (candidate > expected + halfWindow && candidate >= window) return candidate - window;
        return candidate;
    }
}
