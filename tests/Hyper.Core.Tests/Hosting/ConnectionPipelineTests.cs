using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;
using Hyper.Core.Tests.Protocols;
using Hyper.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Hosting;

/// <summary>TLS, then protocol selection, before any driver owns a connection.</summary>
public sealed class ConnectionPipelineTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.9"), 50123);
    private readonly NamedFactory _http11 = new("http/1.1");
    private readonly NamedFactory _http2 = new("h2");
    private readonly FakeTimeProvider _time = new();

    private ProtocolRegistry Registry(bool withPreface = true) => new([
        new ProtocolRegistration(_http11) { AlpnId = "http/1.1", AlpnPreference = 200, IsDefault = true },
        new ProtocolRegistration(_http2) { AlpnId = "h2", AlpnPreference = 100, CleartextPreface = withPreface ? new FixedPreface("PRI") : null },
    ]);

    private ConnectionPipeline Pipeline(ProtocolRegistry registry, ITlsHandshaker? tls = null) =>
        new(tls is null ? null : new TlsStep(tls, registry), new ProtocolSelectionStep(registry, TimeSpan.FromSeconds(5), _time));

    [Fact]
    public async Task Cleartext_PrefaceSent_ItsProtocolWithCleartextInfo()
    {
        var transport = new InMemoryTransport();
        await transport.Peer.WriteAsync(Encoding.ASCII.GetBytes("PRI"));

        var opened = await Pipeline(Registry()).OpenAsync(transport, secure: false, CancellationToken.None);

        opened!.Protocol.Should().BeSameAs(_http2);
        opened.Transport.Should().BeSameAs(transport);
        opened.Info.IsTls.Should().BeFalse();
        opened.Info.Remote.Should().Be(Client);
        opened.Info.NegotiatedAlpn.Should().BeNull();
    }

    [Fact]
    public async Task Cleartext_NoProtocolRegisteredAPreface_DefaultWithoutWaitingForAByte()
    {
        var transport = new InMemoryTransport();

        var opened = await Pipeline(Registry(withPreface: false)).OpenAsync(transport, secure: false, CancellationToken.None);

        opened!.Protocol.Should().BeSameAs(_http11);
    }

    [Fact]
    public async Task Cleartext_PeerClosesSilently_NothingServedAndTheTransportClosed()
    {
        var transport = new InMemoryTransport();
        await transport.Peer.CompleteAsync();

        var opened = await Pipeline(Registry()).OpenAsync(transport, secure: false, CancellationToken.None);

        opened.Should().BeNull();
        transport.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task Cleartext_ShutdownWhileWaitingForTheFirstByte_NothingServedAndTheTransportClosed()
    {
        // No driver owns the connection yet, so nothing else would end this wait (a browser's speculative connection).
        var transport = new InMemoryTransport();
        using var shutdown = new CancellationTokenSource();
        var open = Pipeline(Registry()).OpenAsync(transport, secure: false, shutdown.Token).AsTask();

        shutdown.Cancel();

        (await open.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
        transport.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task Tls_OffersTheRegistrysAlpnOrder_AndTheNegotiatedIdChoosesTheProtocol()
    {
        var handshaker = new RecordingHandshaker("h2");
        var transport = new InMemoryTransport();

        var opened = await Pipeline(Registry(), handshaker).OpenAsync(transport, secure: true, CancellationToken.None);

        handshaker.Offered.Should().Equal("h2", "http/1.1");
        opened!.Protocol.Should().BeSameAs(_http2);
        opened.Transport.Should().BeSameAs(handshaker.Plaintext, "the driver reads the decrypted pipe");
        opened.Info.IsTls.Should().BeTrue();
        opened.Info.NegotiatedAlpn.Should().Be("h2");
        opened.Info.Tls.Should().NotBeNull();
    }

    [Fact]
    public async Task Tls_NoAlpnNegotiated_DefaultProtocolAndNoSniff()
    {
        // The plaintext side starts with "PRI": on TLS only ALPN decides, the preface is never looked at.
        var handshaker = new RecordingHandshaker(null);
        await handshaker.Plaintext.Peer.WriteAsync(Encoding.ASCII.GetBytes("PRI"));

        var opened = await Pipeline(Registry(), handshaker).OpenAsync(new InMemoryTransport(), secure: true, CancellationToken.None);

        opened!.Protocol.Should().BeSameAs(_http11);
    }

    [Fact]
    public async Task Tls_HandshakeFails_NothingServed()
    {
        var handshaker = new RecordingHandshaker("h2") { Fails = true };

        var opened = await Pipeline(Registry(), handshaker).OpenAsync(new InMemoryTransport(), secure: true, CancellationToken.None);

        opened.Should().BeNull();
    }

    private sealed class InMemoryTransport : ITransportConnection
    {
        private readonly Pipe _input = new();
        private readonly Pipe _output = new();

        public InMemoryTransport() => Transport = new DuplexPipe(_input.Reader, _output.Writer);

        /// <summary>The client's end: what it writes, the server reads.</summary>
        public PipeWriter Peer => _input.Writer;

        public IDuplexPipe Transport { get; }
        public EndPoint? RemoteEndPoint => Client;
        public EndPoint? LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 8000);
        public bool Disposed { get; private set; }

        public void Abort() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }

        private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
    }

    private sealed class RecordingHandshaker(string? negotiated) : ITlsHandshaker
    {
        public bool IsEnabled => true;
        public bool Fails { get; init; }
        public InMemoryTransport Plaintext { get; } = new();
        public IReadOnlyList<string> Offered { get; private set; } = [];

        public ValueTask<SecureConnection?> HandshakeAsync(ITransportConnection transport, IReadOnlyList<string> applicationProtocols, CancellationToken cancellationToken)
        {
            Offered = applicationProtocols;
            if (Fails) return ValueTask.FromResult<SecureConnection?>(null);
            var info = new TlsInfo(negotiated, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, "example.test", null);
            return ValueTask.FromResult<SecureConnection?>(new SecureConnection(Plaintext, info));
        }
    }
}
