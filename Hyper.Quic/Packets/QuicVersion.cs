namespace Hyper.Quic.Packets;

/// <summary>QUIC version numbers (RFC 8999 §5.1, RFC 9000 §15).</summary>
public static class QuicVersion
{
    /// <summary>QUIC version 1, RFC 9000.</summary>
    public const uint Version1 = 0x0000_0001;

    /// <summary>The version field of a Version Negotiation packet (RFC 8999 §6).</summary>
    public const uint Negotiation = 0x0000_0000;

    /// <summary>
    /// Versions of the form 0x?a?a?a?a are reserved to exercise negotiation (RFC 9000 §15); a server lists one in its
    /// Version Negotiation packets so that clients keep handling unknown versions.
    /// </summary>
    public static bool IsReservedForNegotiation(uint version) => (version & 0x0f0f_0f0f) == 0x0a0a_0a0a;

    public static bool IsSupported(uint version) => version == Version1;
}
