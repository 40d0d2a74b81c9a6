using Hyper.AspNetCore;
using Hyper.Core.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In the hosting namespace, as UseKestrel is: a web project calls UseHyper() with no extra using.
namespace Microsoft.AspNetCore.Hosting;

/// <summary><c>UseHyper</c>: runs the application on Hyper instead of Kestrel.</summary>
public static class HyperWebHostBuilderExtensions
{
    /// <summary>The configuration section Hyper's options are read from: the TOML file's keys (<c>Hyper:worker_class</c>, <c>Hyper:keep_alive_timeout</c>, …).</summary>
    public const string ConfigurationSection = "Hyper";

    /// <summary>
    /// Makes Hyper the application's server. Options come from the <c>Hyper</c> configuration section (the same keys as
    /// Hyper's TOML file), and addresses from <c>ASPNETCORE_URLS</c> / <c>--urls</c> unless <c>bind</c> is set there.
    /// </summary>
    public static IWebHostBuilder UseHyper(this IWebHostBuilder builder) => builder.UseHyper(_ => { });

    /// <summary>As <see cref="UseHyper(IWebHostBuilder)"/>, then <paramref name="configure"/> changes the options in code (code wins over configuration).</summary>
    public static IWebHostBuilder UseHyper(this IWebHostBuilder builder, Action<HyperServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices((context, services) =>
        {
            services.RemoveAll<IServer>();
            services.AddSingleton<IServer, HyperAspNetCoreServer>();
            var section = context.Configuration.GetSection(ConfigurationSection);
            services.AddOptions<HyperServerOptions>()
                .Configure(options =>
                {
                    // A wrong key or value is a startup error naming the key (OptionsValidationException), as from the CLI.
                    if (section.Exists()) options.Options = HyperOptionsBinder.Bind(section);
                })
                .Configure(configure);
        });
    }
}
