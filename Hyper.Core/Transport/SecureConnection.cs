namespace Hyper.Core.Transport;

/// <summary>A connection after a successful TLS handshake: its plaintext pipe and what the handshake settled.</summary>
public sealed record SecureConnection(ITransportConnection Connection, TlsInfo Info);
