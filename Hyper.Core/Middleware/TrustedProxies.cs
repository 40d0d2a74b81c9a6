using System.Net;

namespace Hyper.Core.Middleware;

/// <summary>
/// The <c>forwarded_allow_ips</c> allow-list: the addresses whose forwarding headers are believed. Entries are IP
/// addresses or CIDR networks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>), or <c>*</c> for every peer (only behind a proxy
/// that is the sole way in). IPv4 peers seen as IPv4-mapped IPv6 addresses (dual-mode sockets) match IPv4 entries.
/// </summary>
public sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;
    private readonly bool _any;

    private TrustedProxies(IPNetwork[] networks, bool any)
    {
        _networks = networks;
        _any = any;
    }

    /// <summary>Parses the entries; throws <see cref="FormatException"/> naming the first one that is neither an address nor a network.</summary>
    public static TrustedProxies Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>();
        var any = false;
        // An entry may itself be a comma-separated list (Uvicorn's flag takes "127.0.0.1,10.0.0.0/8").
        foreach (var entry in entries.SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (entry == "*") { any = true; continue; }
            if (TryParseEntry(entry, out var network)) networks.Add(network);
            else throw new FormatException($"'{entry}' is not an IP address or a CIDR network");
        }
        return new TrustedProxies([.. networks], any);
    }

    /// <summary>The first part of <paramref name="entry"/> (comma-separated) that is neither an address, a network nor <c>*</c>; null when all are.</summary>
    public static string? FirstInvalid(string entry) =>
        entry.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(part => part != "*" && !TryParseEntry(part, out _));

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_any) return true;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }

    private static bool TryParseEntry(string entry, out IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/'))
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return IPNetwork.TryParse(entry, out network);
    }
}
