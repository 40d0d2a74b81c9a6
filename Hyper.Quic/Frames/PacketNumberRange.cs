namespace Hyper.Quic.Frames;

/// <summary>An inclusive range of acknowledged packet numbers, as carried by an ACK frame (RFC 9000 §19.3.1).</summary>
public readonly record struct PacketNumberRange(long Smallest, long Largest);
