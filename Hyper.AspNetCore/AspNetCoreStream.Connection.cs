using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hyper.Core.Concurrency;
using Hyper.Core.Streams;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Hyper.AspNetCore;

// The connection and the request's lifetime: addresses, ids, RequestAborted, TLS, HTTP/2 reset and stream id.
internal sealed partial class AspNetCoreStream :
    IHttpConnectionFeature, IHttpRequestLifetimeFeature, IHttpRequestIdentifierFeature, ITlsConnectionFeature,
    ITlsHandshakeFeature, IHttpResetFeature, IHttp2StreamIdFeature
{
    private string? _connectionId;
    private string? _traceIdentifier;
    private CancellationToken? _requestAbortedOverride;
    private X509Certificate2? _clientCertificate;
    private bool _clientCertificateSet;

    // ---- IHttpConnectionFeature ----

    string IHttpConnectionFeature.ConnectionId
    {
        get => _connectionId ??= _factory.ConnectionId(_connection);
        set => _connectionId = value;
    }

    IPAddress? IHttpConnectionFeature.RemoteIpAddress { get => RemoteEndPoint?.Address; set => RemoteEndPoint = value is null ? null : new IPEndPoint(value, RemoteEndPoint?.Port ?? 0); }
    int IHttpConnectionFeature.RemotePort { get => RemoteEndPoint?.Port ?? 0; set => RemoteEndPoint = new IPEndPoint(RemoteEndPoint?.Address ?? IPAddress.None, value); }
    IPAddress? IHttpConnectionFeature.LocalIpAddress { get => LocalEndPoint?.Address; set => LocalEndPoint = value is null ? null : new IPEndPoint(value, LocalEndPoint?.Port ?? 0); }
    int IHttpConnectionFeature.LocalPort { get => LocalEndPoint?.Port ?? 0; set => LocalEndPoint = new IPEndPoint(LocalEndPoint?.Address ?? IPAddress.None, value); }

    private IPEndPoint? _remoteOverride;
    private bool _remoteSet;
    private IPEndPoint? _localOverride;
    private bool _localSet;

    // The peer's address as it is now (it can move on QUIC), unless the application set one (forwarded headers do).
    private IPEndPoint? RemoteEndPoint
    {
        get => _remoteSet ? _remoteOverride : _connection.Info.Remote as IPEndPoint;
        set
        {
            _remoteOverride = value;
            _remoteSet = true;
        }
    }

    private IPEndPoint? LocalEndPoint
    {
        get => _localSet ? _localOverride : _connection.Info.Local as IPEndPoint;
        set
        {
            _localOverride = value;
            _localSet = true;
        }
    }

    // ---- IHttpRequestLifetimeFeature ----

    CancellationToken IHttpRequestLifetimeFeature.RequestAborted
    {
        get
        {
            if (_requestAbortedOverride is { } overridden) return overridden;
            lock (_sync)
            {
                if (_abortedSource is null)
                {
                    // Made on first use: most requests never ask. A client already gone gives a cancelled token.
                    _abortedSource = new CancellationTokenSource();
                    if (_aborted) _abortedSource.Cancel();
                }
                return _abortedSource.Token;
            }
        }
        set => _requestAbortedOverride = value;
    }

    void IHttpRequestLifetimeFeature.Abort()
    {
        if (IsOver) return;
        CallbackGuard.Forget(AbortStreamAsync(), "request abort");
    }

    private async Task AbortStreamAsync()
    {
        _responseState = ResponseState.Ended;
        await SubmitAsync(StreamCommand.Abort());
        MarkAborted();
    }

    // ---- IHttpRequestIdentifierFeature ----

    string IHttpRequestIdentifierFeature.TraceIdentifier
    {
        get => _traceIdentifier ??= $"{((IHttpConnectionFeature)this).ConnectionId}:{Id:X8}";
        set => _traceIdentifier = value;
    }

    // ---- TLS (offered only on TLS connections: see the feature collection) ----

    X509Certificate2? ITlsConnectionFeature.ClientCertificate
    {
        get => _clientCertificateSet ? _clientCertificate : _connection.Info.Tls?.ClientCertificate;
        set
        {
            _clientCertificate = value;
            _clientCertificateSet = true;
        }
    }

    // The handshake is over before a request exists; a certificate is there or was never asked for (client_auth).
    Task<X509Certificate2?> ITlsConnectionFeature.GetClientCertificateAsync(CancellationToken cancellationToken) =>
        Task.FromResult(((ITlsConnectionFeature)this).ClientCertificate);

    SslProtocols ITlsHandshakeFeature.Protocol => _connection.Info.Tls?.Protocol ?? SslProtocols.None;
    TlsCipherSuite? ITlsHandshakeFeature.NegotiatedCipherSuite => _connection.Info.Tls?.CipherSuite;
    string ITlsHandshakeFeature.HostName => _connection.Info.Tls?.ServerName ?? "";

    // The per-algorithm split is obsolete in .NET (SslStream reports it only from the cipher suite, which
    // NegotiatedCipherSuite gives whole); Hyper's handshake records the suite only, so these say "not known".
#pragma warning disable SYSLIB0058
    CipherAlgorithmType ITlsHandshakeFeature.CipherAlgorithm => CipherAlgorithmType.None;
    int ITlsHandshakeFeature.CipherStrength => 0;
    HashAlgorithmType ITlsHandshakeFeature.HashAlgorithm => HashAlgorithmType.None;
    int ITlsHandshakeFeature.HashStrength => 0;
    ExchangeAlgorithmType ITlsHandshakeFeature.KeyExchangeAlgorithm => ExchangeAlgorithmType.None;
    int ITlsHandshakeFeature.KeyExchangeStrength => 0;
#pragma warning restore SYSLIB0058

    // ---- HTTP/2 ----

    /// <summary>RFC 9113 §6.4: the stream ends with RST_STREAM; the protocol chooses the error code it sends.</summary>
    void IHttpResetFeature.Reset(int errorCode)
    {
        if (IsOver) return;
        CallbackGuard.Forget(AbortStreamAsync(), "stream reset");
    }

    int IHttp2StreamIdFeature.StreamId => (int)Id;
}
