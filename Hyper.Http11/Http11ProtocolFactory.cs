using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http11;

/// <summary>Creates an <see cref="Http11Connection"/> for each connection that negotiated (or defaulted to) <c>http/1.1</c>.</summary>
public sealed class Http11ProtocolFactory(Http11ConnectionSettings settings) : IStreamProtocolFactory
{
    public const string AlpnId = "http/1.1";

    public Http11ProtocolFactory(HyperOptions options) : this(Http11ConnectionSettings.From(options))
    {
    }

    public string Alpn => AlpnId;

    public Http11ConnectionSettings Settings => settings;

    public IStreamProtocol Create(ConnectionInfo connection) => new Http11Connection(settings, connection);
}
