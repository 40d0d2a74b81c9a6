using Hyper.Core.Protocols;
using Hyper.Core.Transport;

namespace Hyper.Core.Hosting;

/// <summary>
/// What happens to an accepted connection before a driver owns it: the TLS step (on <c>bind</c> addresses when a
/// certificate is configured), then protocol selection. Both steps run in the connection's own task scope, never in
/// the accept loop, and both end when <c>cancellationToken</c> fires: a connection that no driver owns yet is not in
/// the drainer, so shutdown ends its handshake or first read through that token, or a client that connects and
/// stays silent (a browser's speculative connection) would hold the server. TLS handshakes are counted on <c>metrics</c>.
/// </summary>
internal sealed class ConnectionPipeline(TlsStep? tls, ProtocolSelectionStep selection, Diagnostics.HyperMetrics? metrics = null)
{
    /// <summary>The connection ready for a driver, or null when it ended before (failed handshake, silent or closed peer, shutdown).</summary>
    public async ValueTask<OpenedConnection?> OpenAsync(ITransportConnection transport, bool secure, CancellationToken cancellationToken)
    {
        TlsInfo? tlsInfo = null;
        if (secure)
        {
            var established = await tls!.RunAsync(transport, cancellationToken);
            // A handshake cut short by shutdown is neither outcome.
            if (established is not null || !cancellationToken.IsCancellationRequested)
                metrics?.TlsHandshake(established is not null, established?.Info.Protocol ?? System.Security.Authentication.SslProtocols.None);
            if (established is null) return null;
            transport = established.Connection;
            tlsInfo = established.Info;
        }
        var protocol = await selection.SelectAsync(transport, tlsInfo, cancellationToken);
        if (protocol is null)
        {
            // As the driver closes: both pipes completed first, so the transport's loops end and dispose returns.
            await transport.Transport.Input.CompleteAsync();
            await transport.Transport.Output.CompleteAsync();
            await transport.DisposeAsync();
            return null;
        }
        var info = new ConnectionInfo(transport.RemoteEndPoint, transport.LocalEndPoint, IsTls: secure, tlsInfo?.ApplicationProtocol, tlsInfo);
        return new OpenedConnection(transport, info, protocol);
    }
}
