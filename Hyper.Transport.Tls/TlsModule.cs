using Autofac;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Hyper.Transport.Tls;

/// <summary>
/// Registers the <see cref="ITlsHandshaker"/> built from the container's <see cref="HyperOptions"/>. With no
/// certificate configured the handshaker is disabled and <c>bind</c> stays cleartext; with one, certificates are
/// loaded at startup (a broken pair is a startup error) and reloaded on file changes and SIGHUP.
/// </summary>
public sealed class TlsModule : Module
{
    protected override void Load(ContainerBuilder builder) =>
        builder.Register(c => new TlsHandshaker(c.Resolve<HyperOptions>().Tls, c.Resolve<ILoggerFactory>(), TimeProvider.System, reloadOnHangup: true))
            .As<ITlsHandshaker>()
            .AsSelf()
            .SingleInstance();
}
