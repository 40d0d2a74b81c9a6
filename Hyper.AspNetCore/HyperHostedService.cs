using Hyper.Core.Application;
using Hyper.Core.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hyper.AspNetCore;

/// <summary>
/// An ASGI application served by Hyper inside any .NET generic host (<c>services.AddHyper(app)</c>): the server starts
/// with the host (lifespan startup, then binding), logs through the host's logging, and stops gracefully on the host's
/// shutdown (draining within <c>graceful_timeout</c>, cut short when the host's stop token fires, then lifespan shutdown).
/// </summary>
public sealed class HyperHostedService : IHostedService, IDisposable
{
    private readonly AsgiApplication _application;
    private readonly HyperServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private ServerComposition? _composition;

    public HyperHostedService(AsgiApplication application, IOptions<HyperServerOptions> options, ILoggerFactory loggerFactory)
    {
        _application = application;
        _options = options.Value;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The running server (its <see cref="HyperServer.BoundAddresses"/> once started); null before the host starts.</summary>
    public HyperServer? Server => _composition?.Server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_composition is not null) throw new InvalidOperationException("The server has already been started.");
        _composition = new ServerComposition(_options.Options.Validate(), _application, _loggerFactory, []);
        await _composition.Server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_composition is null) return;
        await _composition.Server.StopAsync(cancellationToken);
    }

    public void Dispose() => _composition?.Dispose();
}
