using Hyper.Core.Configuration;

namespace Hyper.AspNetCore;

/// <summary>
/// What <c>UseHyper</c> configures: Hyper's own options (the keys of the TOML file, bound from the app's <c>Hyper</c>
/// configuration section, then changed by code) and the ASP.NET Core request limits Hyper's options do not have.
/// </summary>
public sealed class HyperServerOptions
{
    /// <summary>
    /// Hyper's options. Left at their default, <c>bind</c> gives way to the addresses the host asks for
    /// (<c>ASPNETCORE_URLS</c>, <c>--urls</c>, <c>UseUrls</c>); set, it wins unless the host says <c>PreferHostingUrls</c>.
    /// </summary>
    public HyperOptions Options { get; set; } = new();

    /// <summary>
    /// The largest request body a request may read, in bytes, unless the request changes it through
    /// <c>IHttpMaxRequestBodySizeFeature</c>; null: no limit. Kestrel's default: 30,000,000.
    /// </summary>
    public long? MaxRequestBodySize { get; set; } = 30_000_000;
}
