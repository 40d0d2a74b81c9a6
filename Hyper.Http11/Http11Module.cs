using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Http11;

/// <summary>
/// Registers HTTP/1.1 with the protocol registry, configured from the container's <see cref="HyperOptions"/>: ALPN
/// <c>http/1.1</c>, and the default protocol of a connection that nothing else selected (no ALPN, no preface).
/// </summary>
public sealed class Http11Module : Module
{
    /// <summary>Where http/1.1 sits in the ALPN preference order: after h2 (100).</summary>
    public const int AlpnPreference = 200;

    /// <summary>HTTP/1.1's registration for the given options (the module's, and a test's that builds a server by hand).</summary>
    public static ProtocolRegistration Registration(HyperOptions options) => new(new Http11ProtocolFactory(options))
    {
        AlpnId = Http11ProtocolFactory.AlpnId,
        AlpnPreference = AlpnPreference,
        IsDefault = true,
    };

    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => Registration(c.Resolve<HyperOptions>())).As<ProtocolRegistration>().SingleInstance();
}
