using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http2;

/// <summary>Creates an <see cref="Http2Connection"/> for each connection that negotiated <c>h2</c> or sent the h2c preface.</summary>
public sealed class Http2ProtocolFactory(Http2ConnectionSettings settings) : IStreamProtocolFactory
{
    public const string AlpnId = "h2";

    public Http2ProtocolFactory(HyperOptions options) : this(Http2ConnectionSettings.From(options))
    {
    }

    public string Alpn => AlpnId;

    public Http2ConnectionSettings Settings => settings;

    public IStreamProtocol Create(ConnectionInfo connection) => new Http2Connection(settings, connection);
}
