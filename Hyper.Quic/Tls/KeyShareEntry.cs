namespace Hyper.Quic.Tls;

/// <summary>One KeyShareEntry of a key_share extension (RFC 8446 §4.2.8): a group and its public key bytes.</summary>
public sealed record KeyShareEntry(ushort Group, byte[] KeyExchange);
