using Autofac;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.Structured;
using Hyper.Backends.ThreadPool;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Hyper.Core.Transport;
using Hyper.Http11;
using Hyper.Http2;
using Hyper.Transport.Tls;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore;

/// <summary>
/// A <see cref="HyperServer"/> composed as the <c>hyper</c> command composes it: an Autofac container of the backend,
/// protocol and TLS modules, the backend named by <c>worker_class</c>, logs through the host's
/// <see cref="ILoggerFactory"/>. The ASP.NET Core server and the generic-host service both start from here.
/// </summary>
internal sealed class ServerComposition : IDisposable
{
    private readonly IContainer _container;

    public ServerComposition(HyperOptions options, AsgiApplication app, ILoggerFactory loggerFactory, IReadOnlyList<IStreamHandlerFactory> streamHandlers)
    {
        CallbackGuard.UseLogger(loggerFactory.CreateLogger("hyper.error"));
        var builder = new ContainerBuilder();
        builder.RegisterInstance(options);
        builder.RegisterInstance(app);
        builder.RegisterInstance(loggerFactory).ExternallyOwned();
        builder.RegisterInstance(AccessLog.FromOptions(options, TimeProvider.System));
        builder.RegisterModule<ThreadPoolBackendModule>();
        builder.RegisterModule<StructuredBackendModule>();
        builder.RegisterModule<SingleThreadLoopBackendModule>();
        builder.RegisterModule<Http11Module>();
        builder.RegisterModule<Http2Module>();
        builder.RegisterModule<TlsModule>();
        builder.Register(c => new ProtocolRegistry(c.Resolve<IEnumerable<ProtocolRegistration>>())).AsSelf().SingleInstance();
        _container = builder.Build();
        if (!_container.IsRegisteredWithKey<IServerBackend>(options.WorkerClass))
        {
            _container.Dispose();
            throw new OptionsValidationException("worker_class", $"unknown backend '{options.WorkerClass}'");
        }
        Server = new HyperServer(options, app, _container.ResolveKeyed<IServerBackend>(options.WorkerClass), _container.Resolve<ProtocolRegistry>(),
            _container.Resolve<IAccessLog>(), loggerFactory, _container.Resolve<ITlsHandshaker>())
        {
            StreamHandlers = streamHandlers,
        };
    }

    public HyperServer Server { get; }

    /// <summary>The backend, the TLS handshaker and the access log go with the container (after the server has stopped).</summary>
    public void Dispose() => _container.Dispose();
}
