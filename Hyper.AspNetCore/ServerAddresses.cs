using System.Net;
using System.Net.Sockets;
using Hyper.Core.Configuration;
using Microsoft.AspNetCore.Http;

namespace Hyper.AspNetCore;

/// <summary>
/// Between ASP.NET Core's server addresses (<c>http://localhost:5000</c>, <c>https://*:0</c>, <c>http://unix:/run/app.sock</c>)
/// and Hyper's binds: which binds the host's URLs ask for, and how the bound endpoints are reported back.
/// </summary>
internal static class ServerAddresses
{
    /// <summary>
    /// <paramref name="options"/> with <c>bind</c> / <c>insecure_bind</c> made from <paramref name="urls"/>: an https URL
    /// is a TLS bind (a certificate must be configured); an http URL is a cleartext one (<c>insecure_bind</c> when a
    /// certificate makes <c>bind</c> TLS).
    /// </summary>
    public static HyperOptions WithUrls(HyperOptions options, IReadOnlyCollection<string> urls)
    {
        var tls = options.Tls.IsEnabled;
        var secure = new List<BindAddress>();
        var clear = new List<BindAddress>();
        foreach (var url in urls)
        {
            var address = BindingAddress.Parse(url);
            var bind = ToBind(address);
            if (string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                if (!tls)
                    throw new InvalidOperationException($"'{url}' asks for HTTPS, but no certificate is configured (Hyper:certfile and Hyper:keyfile).");
                secure.Add(bind);
            }
            else if (string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            {
                clear.Add(bind);
            }
            else
            {
                throw new InvalidOperationException($"'{url}': only http and https addresses are supported.");
            }
        }
        return tls
            ? options with { Bind = secure, InsecureBind = clear }
            : options with { Bind = clear, InsecureBind = [] };
    }

    private static BindAddress ToBind(BindingAddress address)
    {
        if (address.IsUnixPipe) return new BindAddress(BindKind.Unix, "", 0, UnixPath: address.UnixPipePath);
        var host = address.Host;
        // Kestrel's wildcards; "localhost" is the loopback (IPv4 only here).
        if (host is "*" or "+" or "") host = "0.0.0.0";
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) host = "127.0.0.1";
        else host = host.Trim('[', ']');
        return new BindAddress(BindKind.Tcp, host, address.Port);
    }

    /// <summary>True when <paramref name="options"/> binds what a default <see cref="HyperOptions"/> binds (nobody chose).</summary>
    public static bool BindsAreDefault(HyperOptions options)
    {
        var defaults = new HyperOptions();
        return options.Bind.SequenceEqual(defaults.Bind) && options.InsecureBind.Count == 0;
    }

    /// <summary>
    /// The URLs to report for the bound <paramref name="endPoints"/> (the real port where 0 was asked). The server lists
    /// one endpoint per bind, <c>bind</c> before <c>insecure_bind</c>; with a certificate, the <c>bind</c> ones are https.
    /// </summary>
    public static IEnumerable<string> Describe(IReadOnlyList<EndPoint> endPoints, HyperOptions options)
    {
        var secureCount = options.Tls.IsEnabled ? options.Bind.Count : 0;
        for (var i = 0; i < endPoints.Count; i++)
        {
            var scheme = i < secureCount ? "https" : "http";
            yield return endPoints[i] switch
            {
                IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } v6 => $"{scheme}://[{v6.Address}]:{v6.Port}",
                IPEndPoint v4 => $"{scheme}://{v4.Address}:{v4.Port}",
                var other => $"{scheme}://unix:{other}",
            };
        }
    }
}
