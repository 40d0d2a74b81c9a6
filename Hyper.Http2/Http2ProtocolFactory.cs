using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http2;

/// <summary>
/// Creates an <see cref="Http2Connection"/> for each connection that negotiated <c>h2</c>, sent the h2c preface, or
/// upgraded from HTTP/1.1 with <c>Upgrade: h2c</c>.
/// </summary>
public sealed class Http2ProtocolFactory(Http2ConnectionSettings settings) : IUpgradeTargetFactory
{
    public const string AlpnId = "h2";

    public Http2ProtocolFactory(HyperOptions options) : this(Http2ConnectionSettings.From(options))
    {
    }

    public string Alpn => AlpnId;

    public Http2ConnectionSettings Settings => settings;

    public IStreamProtocol Create(ConnectionInfo connection) => new Http2Connection(settings, connection);

    public IStreamProtocol? CreateUpgraded(ConnectionInfo connection, RequestHead request, long now, System.Buffers.IBufferWriter<byte> output)
    {
        // H2-16: h2c is cleartext only; on TLS, ALPN is the one way to HTTP/2 (RFC 7540 §3.3).
        if (connection.IsTls || !H2cUpgradeRequest.TryParse(request, out var http2Settings)) return null;
        var protocol = new Http2Connection(settings, connection with { NegotiatedAlpn = H2cUpgradeRequest.Token });
        // Settings it cannot use mean no switch at all: the request is then answered as HTTP/1.1.
        return protocol.StartUpgraded(request, http2Settings.Span, now, output) ? protocol : null;
    }
}
