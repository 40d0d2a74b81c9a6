using System.Globalization;

namespace Hyper.Core.Diagnostics;

/// <summary>Where StatsD lines go: the <c>statsd_host</c> option, <c>host:port</c> or <c>[v6]:port</c>.</summary>
public sealed record StatsdTarget(string Host, int Port)
{
    /// <summary>The target, or null when <paramref name="value"/> is not <c>host:port</c> with a port of 1..65535.</summary>
    public static StatsdTarget? Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1) return null;
        var host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) return null;
        if (host.Length == 0) return null;
        if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) return null;
        return new StatsdTarget(host, port);
    }
}
