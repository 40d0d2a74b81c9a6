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

    public string UpgradeToken => "h2c";

    public IStreamProtocol Create(ConnectionInfo connection) => new Http2Connection(settings, connection);

    public IStreamProtocol? CreateUpgraded(ConnectionInfo connection, RequestHead request, ReadOnlySpan<byte> upgradeSettings, long now, System.Buffers.IBufferWriter<byte> output)
    {
        var protocol = new Http2Connection(settings, connection);
        return protocol.StartUpgraded(request, upgradeSettings, now, output) ? protocol : null;
    }
}
