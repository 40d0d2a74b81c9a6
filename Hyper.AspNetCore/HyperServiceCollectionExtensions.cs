using Hyper.AspNetCore;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

// In the DI namespace, as AddHostedService is: a generic host's Program needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>AddHyper</c>: serves an ASGI application with Hyper in any .NET generic host.</summary>
public static class HyperServiceCollectionExtensions
{
    /// <summary>
    /// Serves <paramref name="application"/> with Hyper for the host's lifetime. Options come from the host's
    /// configuration section <c>Hyper</c> (the TOML file's keys), then from <paramref name="configure"/>.
    /// The <see cref="HyperHostedService"/> is registered too, for its <see cref="HyperHostedService.Server"/>.
    /// </summary>
    public static IServiceCollection AddHyper(this IServiceCollection services, AsgiApplication application, Action<HyperServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(application);
        services.AddOptions<HyperServerOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var section = configuration.GetSection(Microsoft.AspNetCore.Hosting.HyperWebHostBuilderExtensions.ConfigurationSection);
                if (section.Exists()) options.Options = HyperOptionsBinder.Bind(section);
            })
            .Configure(configure ?? (_ => { }));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<HyperHostedService>(sp, application));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HyperHostedService>());
        return services;
    }
}
