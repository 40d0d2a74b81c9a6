using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hyper.AspNetCore;

/// <summary>
/// Hyper as ASP.NET Core's <see cref="IServer"/>: a <see cref="HyperServer"/> on the backend <c>worker_class</c> names
/// (composed from the same Autofac modules the <c>hyper</c> command uses), whose requests are the ASP.NET Core stream
/// kind. The addresses it listens on are reported through <see cref="IServerAddressesFeature"/>, with the real port
/// where port 0 was asked.
/// </summary>
public sealed class HyperAspNetCoreServer : IServer
{
    private readonly HyperServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ServerAddressesFeature _addresses = new();
    private ServerComposition? _composition;
    private HyperServer? _server;

    public HyperAspNetCoreServer(IOptions<HyperServerOptions> options, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory;
        Features.Set<IServerAddressesFeature>(_addresses);
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>The options the server runs with once started (the host's addresses applied, validated).</summary>
    public HyperOptions? EffectiveOptions { get; private set; }

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        if (_server is not null) throw new InvalidOperationException("The server has already been started.");
        var options = ResolveOptions();
        EffectiveOptions = options;
        var streams = new AspNetCoreStreamFactory(new HostedApplication<TContext>(application), _options.MaxRequestBodySize,
            _loggerFactory.CreateLogger("Hyper.AspNetCore"));
        _composition = new ServerComposition(options, LifespanOnlyApplication.Instance, _loggerFactory, [streams]);
        _server = _composition.Server;
        await _server.StartAsync(cancellationToken);

        _addresses.Addresses.Clear();
        foreach (var url in ServerAddresses.Describe(_server.BoundAddresses, options)) _addresses.Addresses.Add(url);
    }

    /// <summary>
    /// Hyper's options with the host's addresses: those from <c>ASPNETCORE_URLS</c> / <c>--urls</c> are used when
    /// <c>bind</c> was left at its default, or when the host prefers its own (<c>PreferHostingUrls</c>).
    /// </summary>
    private HyperOptions ResolveOptions()
    {
        var options = _options.Options;
        var urls = _addresses.Addresses.ToArray();
        if (urls.Length > 0 && (_addresses.PreferHostingUrls || ServerAddresses.BindsAreDefault(options)))
            options = ServerAddresses.WithUrls(options, urls);
        return options.Validate();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync(cancellationToken);
    }

    public void Dispose()
    {
        // StopAsync has drained the server; the backend and the TLS handshaker are the composition's.
        _composition?.Dispose();
    }

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = new List<string>();
        public bool PreferHostingUrls { get; set; }
    }
}
