using Hyper.Core.Protocols;
using Hyper.Core.Transport;

namespace Hyper.Core.Hosting;

/// <summary>
/// The step after TLS: which registered protocol serves the connection. On TLS the negotiated ALPN id says it; on
/// cleartext the first bytes do, when some protocol registered a preface (otherwise the default protocol serves
/// without waiting for a byte).
/// </summary>
internal sealed class ProtocolSelectionStep(ProtocolRegistry protocols, TimeSpan idleTimeout, TimeProvider time)
{
    /// <summary>The protocol for the connection, or null when a cleartext peer closed or stayed silent: nothing to serve.</summary>
    public async ValueTask<IStreamProtocolFactory?> SelectAsync(ITransportConnection transport, TlsInfo? tls, CancellationToken cancellationToken)
    {
        if (tls is not null) return protocols.ForAlpn(tls.ApplicationProtocol);
        if (protocols.CleartextPrefaces.Count == 0) return protocols.Default;
        return await CleartextSniffer.SniffAsync(transport.Transport.Input, protocols, idleTimeout, time, cancellationToken);
    }
}
