using Hyper.Quic.Packets;

namespace Hyper.Quic.Transport;

/// <summary>
/// The transport parameters one endpoint declares (RFC 9000 §18.2), with the RFC's defaults for those absent from
/// the wire. <see cref="TransportParameterCodec"/> turns them into the TLS extension's bytes and back.
/// </summary>
public sealed record TransportParameters
{
    /// <summary>RFC 9000 §18.2: the default and largest max_udp_payload_size.</summary>
    public const ulong DefaultMaxUdpPayloadSize = 65527;

    /// <summary>Server only: the Destination Connection ID of the client's first Initial (§7.3).</summary>
    public ConnectionId? OriginalDestinationConnectionId { get; init; }

    /// <summary>Milliseconds; 0 disables the idle timeout (§10.1).</summary>
    public ulong MaxIdleTimeout { get; init; }

    /// <summary>Server only: 16 bytes (§10.3).</summary>
    public ReadOnlyMemory<byte>? StatelessResetToken { get; init; }

    public ulong MaxUdpPayloadSize { get; init; } = DefaultMaxUdpPayloadSize;

    public ulong InitialMaxData { get; init; }

    public ulong InitialMaxStreamDataBidiLocal { get; init; }

    public ulong InitialMaxStreamDataBidiRemote { get; init; }

    public ulong InitialMaxStreamDataUni { get; init; }

    public ulong InitialMaxStreamsBidi { get; init; }

    public ulong InitialMaxStreamsUni { get; init; }

    public ulong AckDelayExponent { get; init; } = 3;

    /// <summary>Milliseconds.</summary>
    public ulong MaxAckDelay { get; init; } = 25;

    public bool DisableActiveMigration { get; init; }

    /// <summary>Server only (§9.6).</summary>
    public PreferredAddress? PreferredAddress { get; init; }

    public ulong ActiveConnectionIdLimit { get; init; } = 2;

    /// <summary>Required from both endpoints (§7.3).</summary>
    public ConnectionId? InitialSourceConnectionId { get; init; }

    /// <summary>Server only, and only after a Retry (§7.3).</summary>
    public ConnectionId? RetrySourceConnectionId { get; init; }
}
