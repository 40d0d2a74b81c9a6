using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http2;

/// <summary>
/// Registers HTTP/2 with the protocol registry: ALPN <c>h2</c> on TLS, the connection preface on cleartext ports
/// (prior knowledge, RFC 9113 §3.3), and the <c>h2c</c> Upgrade token when <c>h2_allow_upgrade</c> permits it.
/// </summary>
public sealed class Http2Module : Module
{
    /// <summary>Where h2 sits in the ALPN preference order: before HTTP/1.1 (200), as Kestrel and Hypercorn offer it.</summary>
    public const int AlpnPreference = 100;

    /// <summary>HTTP/2's registration for the given options (the module's, and a test's that builds a server by hand).</summary>
    public static ProtocolRegistration Registration(HyperOptions options) => new(new Http2ProtocolFactory(options))
    {
        AlpnId = Http2ProtocolFactory.AlpnId,
        AlpnPreference = AlpnPreference,
        CleartextPreface = PrefaceSniffer.Instance,
        // H2-16: the switch from HTTP/1.1 can be turned off.
        UpgradeToken = options.Http2.AllowH2cUpgrade ? H2cUpgradeRequest.Token : null,
    };

    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => Registration(c.Resolve<HyperOptions>())).As<ProtocolRegistration>().SingleInstance();
}
