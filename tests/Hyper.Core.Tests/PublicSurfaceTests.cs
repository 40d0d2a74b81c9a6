using Hyper.Core.Hosting;

namespace Hyper.Core.Tests;

/// <summary>
/// What an integrator who references Hyper.Core sees: the application interface, options, the backend, transport and
/// protocol contracts, the protocol registry, the host and middleware, plus the few helpers the protocol assemblies
/// share (header-field syntax, Huffman coding, the monotonic time base). Anything else is internal. A new public type
/// has to be added here on purpose, so the surface cannot grow by accident.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string[] Approved =
    [
        // The application interface (ASGI for .NET) and the extensions an application reads from its scope.
        "Hyper.Core.Application.AsgiApplication",
        "Hyper.Core.Application.AsgiMessage",
        "Hyper.Core.Application.AsgiReceive",
        "Hyper.Core.Application.AsgiScope",
        "Hyper.Core.Application.AsgiSend",
        "Hyper.Core.Application.ClientDisconnectedException",
        "Hyper.Core.Application.HeaderField",
        "Hyper.Core.Application.HeaderFields",
        "Hyper.Core.Application.HttpDisconnect",
        "Hyper.Core.Application.HttpRequest",
        "Hyper.Core.Application.HttpResponseBody",
        "Hyper.Core.Application.HttpResponseEarlyHint",
        "Hyper.Core.Application.HttpResponsePush",
        "Hyper.Core.Application.HttpResponseStart",
        "Hyper.Core.Application.HttpResponseTrailers",
        "Hyper.Core.Application.HttpScope",
        "Hyper.Core.Application.LifespanScope",
        "Hyper.Core.Application.LifespanShutdown",
        "Hyper.Core.Application.LifespanShutdownComplete",
        "Hyper.Core.Application.LifespanShutdownFailed",
        "Hyper.Core.Application.LifespanStartup",
        "Hyper.Core.Application.LifespanStartupComplete",
        "Hyper.Core.Application.LifespanStartupFailed",
        "Hyper.Core.Application.UnexpectedMessageException",
        "Hyper.Core.Application.WebSocketAccept",
        "Hyper.Core.Application.WebSocketClose",
        "Hyper.Core.Application.WebSocketConnect",
        "Hyper.Core.Application.WebSocketDisconnect",
        "Hyper.Core.Application.WebSocketHttpResponseBody",
        "Hyper.Core.Application.WebSocketHttpResponseStart",
        "Hyper.Core.Application.WebSocketReceive",
        "Hyper.Core.Application.WebSocketScope",
        "Hyper.Core.Application.WebSocketSend",
        // Backend contracts.
        "Hyper.Core.Concurrency.IServerBackend",
        "Hyper.Core.Concurrency.ITaskScope",
        "Hyper.Core.Concurrency.RequestTaskGroup",
        // The one way backends, transports and hosts hand callbacks to the runtime (issue #9).
        "Hyper.Core.Concurrency.CallbackGuard",
        // Backends mark their loop threads so that Core can refuse to block them.
        "Hyper.Core.Concurrency.NonBlockingThread",
        // Options and their binding (the CLI and a generic host bind the same way).
        "Hyper.Core.Configuration.BindAddress",
        "Hyper.Core.Configuration.BindKind",
        "Hyper.Core.Configuration.Http11Limits",
        "Hyper.Core.Configuration.Http2Limits",
        "Hyper.Core.Configuration.HyperOptions",
        "Hyper.Core.Configuration.HyperOptionsBinder",
        "Hyper.Core.Configuration.HyperOptionsBinder+OptionDefinition",
        "Hyper.Core.Configuration.OptionKeyAttribute",
        "Hyper.Core.Configuration.OptionsValidationException",
        "Hyper.Core.Configuration.TlsCertificateEntry",
        "Hyper.Core.Configuration.TlsOptions",
        "Hyper.Core.Configuration.WebSocketLimits",
        // The host.
        // Metrics (docs/metrics.md): the instruments a host shares with its middleware and exporters.
        "Hyper.Core.Diagnostics.HyperMetrics",
        "Hyper.Core.Diagnostics.StatsdExporter",
        "Hyper.Core.Diagnostics.StatsdTarget",
        "Hyper.Core.Hosting.CoreModule",
        "Hyper.Core.Hosting.HyperServer",
        "Hyper.Core.Hosting.LifespanFailureException",
        "Hyper.Core.Hosting.ServerContext",
        "Hyper.Core.Hosting.UnhandledExceptionLog",
        // Helpers every HTTP version shares (RFC 9110 field syntax, Huffman coding for HPACK and QPACK).
        "Hyper.Core.Http.FieldSyntax",
        // RFC 6455 opcodes, named by the WebSocket options and the stream kind that will carry them (issue #11).
        "Hyper.Core.WebSockets.WebSocketOpcode",
        "Hyper.Core.Http.PathDecoder",
        "Hyper.Core.Http.Huffman.HuffmanDecoder",
        "Hyper.Core.Http.Huffman.HuffmanDecodingException",
        "Hyper.Core.Http.Huffman.HuffmanDecodingReason",
        "Hyper.Core.Http.Huffman.HuffmanEncoder",
        // The access log contract and the one built from options.
        "Hyper.Core.Logging.AppendOnlyFile",
        "Hyper.Core.Logging.AccessLog",
        "Hyper.Core.Logging.AccessLogEntry",
        "Hyper.Core.Logging.DisabledAccessLog",
        "Hyper.Core.Logging.IAccessLog",
        // Middleware.
        "Hyper.Core.Middleware.ConcurrencyLimitMiddleware",
        "Hyper.Core.Middleware.HttpToHttpsRedirectMiddleware",
        "Hyper.Core.Middleware.ProxyHeadersMiddleware",
        "Hyper.Core.Middleware.TrustedProxies",
        // Protocol contracts the protocol assemblies implement, and the registry they register in.
        "Hyper.Core.Protocols.CloseQuicConnection",
        "Hyper.Core.Protocols.ConnectionInfo",
        "Hyper.Core.Protocols.IMultiplexedStreamProtocol",
        "Hyper.Core.Protocols.IPrefaceMatcher",
        "Hyper.Core.Protocols.IQuicStreamProtocol",
        "Hyper.Core.Protocols.IStreamProtocol",
        "Hyper.Core.Protocols.IStreamProtocolFactory",
        "Hyper.Core.Protocols.IUpgradableStreamProtocol",
        "Hyper.Core.Protocols.IUpgradeTargetFactory",
        "Hyper.Core.Protocols.MonotonicTime",
        "Hyper.Core.Protocols.PeerAddress",
        "Hyper.Core.Protocols.PrefaceMatch",
        "Hyper.Core.Protocols.ProtocolEvent",
        "Hyper.Core.Protocols.ProtocolRegistration",
        "Hyper.Core.Protocols.ProtocolRegistry",
        "Hyper.Core.Protocols.QuicStreamAction",
        "Hyper.Core.Protocols.RequestBodyEnded",
        "Hyper.Core.Protocols.RequestBodyReceived",
        "Hyper.Core.Protocols.RequestHead",
        "Hyper.Core.Protocols.RequestReceived",
        "Hyper.Core.Protocols.RequestRejected",
        "Hyper.Core.Protocols.ResetSendingStream",
        "Hyper.Core.Protocols.ResumeStreamInput",
        "Hyper.Core.Protocols.SendStreamData",
        "Hyper.Core.Protocols.StopReceivingStream",
        "Hyper.Core.Protocols.StreamAborted",
        "Hyper.Core.Protocols.StreamCompleted",
        "Hyper.Core.Protocols.StreamWritable",
        "Hyper.Core.Protocols.TokenBucket",
        // The stream seam (docs/architecture.md, Adding a kind of stream): another assembly's stream kind (the ASP.NET
        // Core adapter, issue #14) is a factory and a handler that talk to their connection through IStreamConnection.
        "Hyper.Core.Streams.IStreamConnection",
        "Hyper.Core.Streams.IStreamHandler",
        "Hyper.Core.Streams.IStreamHandlerFactory",
        "Hyper.Core.Streams.StreamCommand",
        "Hyper.Core.Streams.StreamCommandKind",
        // The ASGI tls extension an application reads from its scope.
        "Hyper.Core.Streams.TlsScopeExtension",
        // Transport contracts the backends and the TLS transport implement.
        // UDP for a datagram protocol (QUIC, issue #12), without QUIC in Core.
        "Hyper.Core.Transport.DatagramReceiveResult",
        "Hyper.Core.Transport.IDatagramSocket",
        "Hyper.Core.Transport.IDatagramTransport",
        "Hyper.Core.Transport.ITlsHandshaker",
        "Hyper.Core.Transport.ITransportConnection",
        "Hyper.Core.Transport.ITransportListener",
        "Hyper.Core.Transport.SecureConnection",
        "Hyper.Core.Transport.TcpAcknowledgedBytes",
        "Hyper.Core.Transport.TlsInfo",
    ];

    [Fact]
    public void CorePublicTypes_AreExactlyTheApprovedOnes()
    {
        var exported = typeof(HyperServer).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();

        var unexpected = exported.Except(Approved).ToArray();
        var gone = Approved.Except(exported).ToArray();

        unexpected.Should().BeEmpty("a public type of Hyper.Core is an API promise; make it internal or approve it here:\n{0}", string.Join("\n", unexpected));
        gone.Should().BeEmpty("an approved type is gone or no longer public; update the list:\n{0}", string.Join("\n", gone));
    }
}
