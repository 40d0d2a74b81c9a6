using Hyper.Quic.Crypto;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tls;

/// <summary>What the sans-IO handshake asks of the packet layer, in the order it must happen.</summary>
public abstract record TlsHandshakeEvent;

/// <summary>Bytes to send in CRYPTO frames at <paramref name="Level"/>, continuing that level's stream.</summary>
public sealed record HandshakeDataReady(EncryptionLevel Level, byte[] Data) : TlsHandshakeEvent;

/// <summary>
/// Traffic secrets for both directions of <paramref name="Level"/>; <see cref="PacketKeys.Derive"/> turns each into
/// packet keys (RFC 9001 §5.1). 1-RTT secrets are the base for key updates (<see cref="TlsKeySchedule.NextApplicationTrafficSecret"/>).
/// </summary>
public sealed record TrafficSecretsReady(EncryptionLevel Level, QuicCipherSuite Suite, byte[] ClientSecret, byte[] ServerSecret) : TlsHandshakeEvent;

/// <summary>
/// The client's Finished verified (RFC 9001 §4.1.1: the handshake is complete, so the server sends HANDSHAKE_DONE
/// and may discard Handshake keys).
/// </summary>
public sealed record HandshakeCompleted(
    string ApplicationProtocol,
    string? ServerName,
    QuicCipherSuite Suite,
    NamedGroup Group,
    TransportParameters ClientTransportParameters) : TlsHandshakeEvent;
