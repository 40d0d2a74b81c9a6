using System.Globalization;
using System.Net;

namespace Hyper.Core.Configuration;

/// <summary>The kind of socket a bind names.</summary>
public enum BindKind { Tcp, Unix, FileDescriptor }

/// <summary>
/// One bind, in Hypercorn's forms: <c>host:port</c>, <c>host</c> (port 8000), <c>[v6]:port</c>,
/// <c>unix:/path</c>, <c>fd://N</c>.
/// </summary>
public sealed record BindAddress(BindKind Kind, string Host, int Port, string? UnixPath = null, int FileDescriptor = -1)
{
    public const int DefaultPort = 8000;

    public static BindAddress Parse(string text)
    {
        if (TryParse(text, out var bind, out var error)) return bind;
        throw new FormatException(error);
    }

    public static bool TryParse(string? text, out BindAddress bind, out string error)
    {
        bind = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "empty bind"; return false; }
        text = text.Trim();
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text["unix:".Length..];
            if (path.Length == 0) { error = $"'{text}': unix: needs a path"; return false; }
            bind = new BindAddress(BindKind.Unix, "", 0, UnixPath: path);
            return true;
        }
        if (text.StartsWith("fd://", StringComparison.Ordinal))
        {
            if (!int.TryParse(text["fd://".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
            { error = $"'{text}': fd:// needs a file descriptor number"; return false; }
            bind = new BindAddress(BindKind.FileDescriptor, "", 0, FileDescriptor: fd);
            return true;
        }
        string host;
        string? portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) { error = $"'{text}': missing ']' after an IPv6 address"; return false; }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0) portText = null;
            else if (rest[0] == ':') portText = rest[1..];
            else { error = $"'{text}': expected ':port' after ']'"; return false; }
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            { error = $"'{text}': '{host}' is not an IPv6 address"; return false; }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':') != colon)
            { error = $"'{text}': write IPv6 addresses in brackets, e.g. [::1]:8000"; return false; }
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }
        if (host.Length == 0) { error = $"'{text}': missing host"; return false; }
        var port = DefaultPort;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        { error = $"'{text}': port must be a number from 0 to 65535"; return false; }
        bind = new BindAddress(BindKind.Tcp, host, port);
        return true;
    }

    /// <summary>
    /// The socket address of a TCP bind: an IP literal as is, <c>localhost</c> as the IPv4 loopback (as Hypercorn
    /// binds it), any other name through DNS (first address). Every backend binds through this one rule.
    /// </summary>
    public IPEndPoint ResolveEndPoint()
    {
        if (Kind != BindKind.Tcp) throw new InvalidOperationException($"{this} is not a TCP bind");
        if (IPAddress.TryParse(Host, out var ip)) return new IPEndPoint(ip, Port);
        if (Host == "localhost") return new IPEndPoint(IPAddress.Loopback, Port);
        var addresses = Dns.GetHostAddresses(Host);
        if (addresses.Length == 0) throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
        return new IPEndPoint(addresses[0], Port);
    }

    public override string ToString() => Kind switch
    {
        BindKind.Unix => $"unix:{UnixPath}",
        BindKind.FileDescriptor => $"fd://{FileDescriptor}",
        _ => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}",
    };
}
