using Autofac;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Hosting;

/// <summary>
/// Registers the server itself and the protocol registry. The container must also hold a <see cref="HyperOptions"/>, an
/// <see cref="AsgiApplication"/>, an <see cref="IAccessLog"/>, an <see cref="ILoggerFactory"/>, the protocol
/// modules' <see cref="ProtocolRegistration"/>s (gathered into the <see cref="ProtocolRegistry"/>) and a backend
/// keyed by its name (the backend modules); a <see cref="Diagnostics.HyperMetrics"/> optionally.
/// </summary>
public sealed class CoreModule : Module
{
    protected override void Load(ContainerBuilder builder)
    {
        builder.Register(c => new ProtocolRegistry(c.Resolve<IEnumerable<ProtocolRegistration>>())).AsSelf().SingleInstance();
        builder.Register(c =>
        {
            var options = c.Resolve<HyperOptions>();
            if (!c.IsRegisteredWithKey<IServerBackend>(options.WorkerClass))
                throw new OptionsValidationException("worker_class", $"unknown backend '{options.WorkerClass}'");
            return new HyperServer(options, c.Resolve<AsgiApplication>(), c.ResolveKeyed<IServerBackend>(options.WorkerClass),
                c.Resolve<ProtocolRegistry>(), c.Resolve<IAccessLog>(), c.Resolve<ILoggerFactory>(),
                c.ResolveOptional<Transport.ITlsHandshaker>(), c.ResolveOptional<Diagnostics.HyperMetrics>());
        }).AsSelf().SingleInstance();
    }
}
