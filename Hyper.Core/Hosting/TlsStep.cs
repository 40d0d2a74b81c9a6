using Hyper.Core.Protocols;
using Hyper.Core.Transport;

namespace Hyper.Core.Hosting;

/// <summary>
/// The first step of a connection accepted on a TLS address: the handshake, offering the registry's ALPN ids in the
/// server's preference order (the TLS module may reorder them by <c>alpn_protocols</c>).
/// </summary>
internal sealed class TlsStep(ITlsHandshaker handshaker, ProtocolRegistry protocols)
{
    /// <summary>The plaintext connection and what the handshake settled, or null when it failed (already logged and disposed).</summary>
    public ValueTask<SecureConnection?> RunAsync(ITransportConnection transport, CancellationToken cancellationToken) =>
        handshaker.HandshakeAsync(transport, protocols.AlpnIds, cancellationToken);
}
