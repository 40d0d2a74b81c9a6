namespace Hyper.Quic.Recovery;

/// <summary>
/// A congestion controller (RFC 9002 §7): it decides how many bytes may be in flight. NewReno is the one
/// implementation today; CUBIC can be added behind this interface.
/// </summary>
public interface ICongestionController
{
    /// <summary>Bytes that may be in flight.</summary>
    long CongestionWindow { get; }

    long BytesInFlight { get; }

    void OnPacketSent(long sentTime, int bytes);

    void OnPacketAcknowledged(long sentTime, int bytes, long now);

    /// <summary>Packets that were lost; <paramref name="largestLostSentTime"/> starts a recovery period.</summary>
    void OnPacketsLost(long largestLostSentTime, int bytes, long now);

    /// <summary>Bytes that leave the in-flight count without a congestion signal (discarded keys, RFC 9002 §6.4).</summary>
    void OnPacketDiscarded(int bytes);

    /// <summary>RFC 9002 §7.6: persistent congestion collapses the window to the minimum.</summary>
    void OnPersistentCongestion();
}
