using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Hyper.Transport.Tls;

/// <summary>
/// Terminates TLS with <see cref="SslStream"/> on the connections of <c>bind</c> addresses, for every backend:
/// the certificate by SNI from the <see cref="CertificateStore"/> (so rotation applies to the next handshake),
/// ALPN in Hyper's order, the minimum TLS version and cipher list from the options, client certificates per
/// <c>verify_mode</c>. Handshake defences (docs/security.md SL-05): each handshake has <c>tls_handshake_timeout</c> to
/// finish, at most <c>tls_max_concurrent_handshakes</c> run at once (more are closed at once), and a pending
/// handshake is an await on the connection's pipe, never a blocked thread. Failures are logged at debug: they are
/// the client's doing (scanners, wrong trust, aborted connects) and must not flood the error log.
/// </summary>
public sealed class TlsHandshaker : ITlsHandshaker, IDisposable
{
    private readonly TlsOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CertificateStore? _store;
    private readonly ClientCertificateValidator? _clientValidator;
    private readonly CipherSuitesPolicy? _cipherPolicy;
    private readonly SslProtocols _protocols;
    private AlpnChoice? _alpn;
    private int _pending;

    /// <summary>Loads the certificates (a startup error when they do not load) and starts watching them.</summary>
    /// <param name="reloadOnHangup">Also reload the certificates on SIGHUP (the <c>hyper</c> command does).</param>
    public TlsHandshaker(TlsOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null, bool reloadOnHangup = false)
        : this(options, loggerFactory, time, options.IsEnabled
            ? new CertificateStore(options.AllCertificates, options.KeyFilePassword, loggerFactory.CreateLogger("hyper.tls"),
                time ?? TimeProvider.System, watchFiles: true, reloadOnHangup)
            : null)
    {
    }

    /// <summary>With a store the caller made (tests: a store on fake time, reloaded by hand).</summary>
    public TlsHandshaker(TlsOptions options, ILoggerFactory loggerFactory, TimeProvider? time, CertificateStore? store)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger("hyper.tls");
        _time = time ?? TimeProvider.System;
        _store = store;
        _protocols = options.MinVersion.Trim() == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;
        _cipherPolicy = CipherSuiteNames.CreatePolicy(options.Ciphers);
        if (options.NormalizedVerifyMode != "none")
        {
            var roots = ClientCertificateValidator.LoadTrustedRoots(options.CaCerts
                ?? throw new OptionsValidationException("verify_mode", "needs ca_certs"));
            _clientValidator = new ClientCertificateValidator(options.NormalizedVerifyMode, roots, _time);
        }
    }

    public bool IsEnabled => _store is not null;

    /// <summary>The certificates in use; null when TLS is off.</summary>
    public CertificateStore? Certificates => _store;

    /// <summary>Handshakes in progress right now.</summary>
    public int PendingHandshakes => Volatile.Read(ref _pending);

    public async ValueTask<SecureConnection?> HandshakeAsync(ITransportConnection transport, IReadOnlyList<string> applicationProtocols, CancellationToken cancellationToken)
    {
        if (_store is null) throw new InvalidOperationException("TLS is not configured: no certificate.");
        if (Interlocked.Increment(ref _pending) > _options.MaxConcurrentHandshakes)
        {
            Interlocked.Decrement(ref _pending);
            _logger.LogDebug("Refused a TLS connection from {Remote}: {Max} handshakes already in progress",
                transport.RemoteEndPoint, _options.MaxConcurrentHandshakes);
            transport.Abort();
            await CloseAsync(transport);
            return null;
        }
        (SecureConnection? Established, bool Abort) outcome;
        try
        {
            outcome = await AuthenticateAsync(transport, applicationProtocols, cancellationToken);
        }
        finally
        {
            // The handshake slot is free as soon as the handshake is over, before the (lingering) close below.
            Interlocked.Decrement(ref _pending);
        }
        if (outcome.Established is not null) return outcome.Established;
        if (outcome.Abort) transport.Abort();
        await CloseAsync(transport);
        return null;
    }

    private async ValueTask<(SecureConnection? Established, bool Abort)> AuthenticateAsync(ITransportConnection transport, IReadOnlyList<string> applicationProtocols, CancellationToken cancellationToken)
    {
        var handshake = new Handshake(this, _store!.Current, OfferedAlpn(applicationProtocols));
        var ssl = new SslStream(new DuplexPipeStream(transport.Transport), leaveInnerStreamOpen: true);
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await ssl.AuthenticateAsServerAsync(static (stream, hello, state, _) =>
                ValueTask.FromResult(((Handshake)state!).Options(hello.ServerName)), handshake, linked.Token);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, it ends this connection and nothing else (a handshake must never crash the server).
            if (timeout.IsCancellationRequested)
                _logger.LogDebug("TLS handshake with {Remote} timed out after {Timeout} s", transport.RemoteEndPoint, _options.HandshakeTimeout.TotalSeconds);
            else if (!cancellationToken.IsCancellationRequested)
                _logger.LogDebug("TLS handshake with {Remote} failed: {Reason}", transport.RemoteEndPoint, handshake.ClientError ?? ex.Message);
            await ssl.DisposeAsync();
            // A stalled or cancelled peer gets a reset; a failed one a normal close, after the alert SslStream sent.
            return (null, timeout.IsCancellationRequested || cancellationToken.IsCancellationRequested);
        }
        var negotiated = ssl.NegotiatedApplicationProtocol;
        var info = new TlsInfo(
            negotiated == default ? null : negotiated.ToString(),
            ssl.SslProtocol,
            ssl.NegotiatedCipherSuite,
            string.IsNullOrEmpty(ssl.TargetHostName) ? null : ssl.TargetHostName,
            handshake.ClientCertificate,
            handshake.ClientChain)
        {
            ServerCertificate = handshake.Certificate?.Leaf,
        };
        return (new SecureConnection(new TlsConnection(transport, ssl, _time), info), false);
    }

    // The server's order (the registry's, given) unless alpn_protocols sets one, narrowed to the ids the server has
    // protocols for; HyperServer passes the same list every time, so the result is kept for it.
    private List<SslApplicationProtocol> OfferedAlpn(IReadOnlyList<string> given)
    {
        if (Volatile.Read(ref _alpn) is { } cached && ReferenceEquals(cached.Given, given)) return cached.Offered;
        var order = _options.AlpnProtocols.Count == 0 ? given : _options.AlpnProtocols.Where(given.Contains);
        var offered = order.Select(id => new SslApplicationProtocol(id)).ToList();
        Volatile.Write(ref _alpn, new AlpnChoice(given, offered));
        return offered;
    }

    private static async ValueTask CloseAsync(ITransportConnection transport)
    {
        await transport.Transport.Output.CompleteAsync();
        await transport.Transport.Input.CompleteAsync();
        await transport.DisposeAsync();
    }

    public void Dispose() => _store?.Dispose();

    // One object, so a handshake never sees the list of one call with the offer of another.
    private sealed record AlpnChoice(IReadOnlyList<string> Given, List<SslApplicationProtocol> Offered);

    /// <summary>One handshake's choices and what it learnt about the client.</summary>
    private sealed class Handshake(TlsHandshaker owner, CertificateSet certificates, List<SslApplicationProtocol> alpn)
    {
        public ServerCertificate? Certificate { get; private set; }
        public X509Certificate2? ClientCertificate { get; private set; }
        public IReadOnlyList<X509Certificate2>? ClientChain { get; private set; }
        public string? ClientError { get; private set; }

        public SslServerAuthenticationOptions Options(string? serverName)
        {
            Certificate = certificates.Select(serverName);
            var validator = owner._clientValidator;
            return new SslServerAuthenticationOptions
            {
                ServerCertificateContext = Certificate.Context,
                ApplicationProtocols = alpn.Count == 0 ? null : alpn,
                EnabledSslProtocols = owner._protocols,
                CipherSuitesPolicy = owner._cipherPolicy,
                ClientCertificateRequired = validator is not null,
                RemoteCertificateValidationCallback = validator is null ? null : (_, certificate, chain, _) => ValidateClient(validator, certificate, chain),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // Renegotiation is a DoS lever and has no use for HTTP (RFC 9113 §9.2.1 forbids it for h2).
                AllowRenegotiation = false,
            };
        }

        private bool ValidateClient(ClientCertificateValidator validator, X509Certificate? certificate, X509Chain? chain)
        {
            var outcome = validator.Check(certificate, chain);
            ClientCertificate = outcome.Certificate;
            ClientChain = outcome.Chain;
            ClientError = outcome.Error;
            return outcome.Accepted;
        }
    }
}
