using System.Globalization;
using System.Net;
using Hyper.Core.Application;

namespace Hyper.Core.Middleware;

/// <summary>
/// Behind a reverse proxy, makes the scope describe the original client instead of the proxy: <c>client</c>,
/// <c>scheme</c>, the <c>host</c> header and <c>root_path</c>, from the <c>Forwarded</c> header (RFC 7239) or, when
/// that is absent, from <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c> and <c>-Prefix</c>.
/// <para>
/// Only a peer in <see cref="TrustedProxies"/> (the <c>forwarded_allow_ips</c> option, as in Uvicorn; Hypercorn
/// trusts a hop count) is believed; anyone else's headers are left alone, since a client can send any header. Each
/// proxy appends to the list, so the list is read from the right: entries added by trusted proxies are skipped and
/// the first untrusted address is the client. Values that do not parse are ignored rather than guessed at.
/// WebSocket scopes pass through unchanged until Hyper serves them.
/// </para>
/// </summary>
public sealed class ProxyHeadersMiddleware
{
    private static readonly byte[] HostName = "host"u8.ToArray();

    private readonly AsgiApplication _app;
    private readonly TrustedProxies _trusted;

    public ProxyHeadersMiddleware(AsgiApplication app, TrustedProxies trusted)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(trusted);
        _app = app;
        _trusted = trusted;
    }

    /// <summary>The wrapped application, to serve.</summary>
    public static AsgiApplication Wrap(AsgiApplication app, TrustedProxies trusted) => new ProxyHeadersMiddleware(app, trusted).InvokeAsync;

    public ValueTask InvokeAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is HttpScope { Client: { } peer } http && _trusted.Contains(peer.Address))
            scope = Apply(http);
        return _app(scope, receive, send);
    }

    /// <summary>The scope as the client sent it to the first proxy; <paramref name="scope"/> itself when nothing applies.</summary>
    public HttpScope Apply(HttpScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var forwarded = Joined(scope.Headers, "forwarded"u8);
        var origin = forwarded is not null ? FromForwarded(forwarded) : FromXForwarded(scope.Headers);
        if (origin == default) return scope;

        var headers = scope.Headers;
        if (origin.Host is not null)
        {
            // RFC 9110 §7.2: one Host; the proxy's own Host is replaced by the one the client sent it.
            var replaced = new List<HeaderField>(headers.Count);
            foreach (var header in headers)
                if (!header.NameIs("host"u8)) replaced.Add(header);
            replaced.Add(new HeaderField(HostName, System.Text.Encoding.ASCII.GetBytes(origin.Host)));
            headers = replaced;
        }
        return new HttpScope
        {
            HttpVersion = scope.HttpVersion,
            Method = scope.Method,
            Scheme = origin.Scheme ?? scope.Scheme,
            Path = scope.Path,
            RawPath = scope.RawPath,
            QueryString = scope.QueryString,
            RootPath = origin.Prefix ?? scope.RootPath,
            Headers = headers,
            Client = origin.Client ?? scope.Client,
            Server = scope.Server,
            State = scope.State,
            Extensions = scope.Extensions,
        };
    }

    private readonly record struct Origin(IPEndPoint? Client, string? Scheme, string? Host, string? Prefix);

    // RFC 7239 §4: Forwarded = 1#forwarded-element; forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] ).
    private Origin FromForwarded(string value)
    {
        var elements = SplitOutsideQuotes(value, ',');
        if (elements.Count == 0) return default;
        // RFC 7239 §5.2: the last element was added by the nearest proxy; walk left while "for" is a trusted proxy.
        var index = elements.Count - 1;
        var pairs = Pairs(elements[index]);
        while (index > 0 && pairs.TryGetValue("for", out var node) && ParseNode(node) is { } hop && _trusted.Contains(hop.Address))
            pairs = Pairs(elements[--index]);
        var client = pairs.TryGetValue("for", out var forNode) ? ParseNode(forNode) : null;
        var scheme = pairs.TryGetValue("proto", out var proto) ? Scheme(proto) : null;
        var host = pairs.TryGetValue("host", out var hostValue) && IsAuthority(hostValue) ? hostValue : null;
        return new Origin(client, scheme, host, null);
    }

    private Origin FromXForwarded(IReadOnlyList<HeaderField> headers)
    {
        IPEndPoint? client = null;
        if (Joined(headers, "x-forwarded-for"u8) is { } forwardedFor)
        {
            var hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (ParseNode(hops[i]) is not { } hop) break;
                client = hop;
                if (!_trusted.Contains(hop.Address)) break;
            }
        }
        var scheme = Last(headers, "x-forwarded-proto"u8) is { } proto ? Scheme(proto) : null;
        var host = Last(headers, "x-forwarded-host"u8) is { } h && IsAuthority(h) ? h : null;
        var prefix = Last(headers, "x-forwarded-prefix"u8) is { } p && p.StartsWith('/') && !p.Contains("//", StringComparison.Ordinal)
            ? p.TrimEnd('/')
            : null;
        return new Origin(client, scheme, host, prefix);
    }

    /// <summary>Every field named <paramref name="name"/>, joined by commas (RFC 9110 §5.3), or null when there is none.</summary>
    private static string? Joined(IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name)
    {
        string? joined = null;
        foreach (var header in headers)
        {
            if (!header.NameIs(name)) continue;
            joined = joined is null ? header.ValueString : joined + "," + header.ValueString;
        }
        return joined;
    }

    /// <summary>The last list member of the fields named <paramref name="name"/>: the value the nearest proxy set.</summary>
    private static string? Last(IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name)
    {
        var joined = Joined(headers, name);
        if (joined is null) return null;
        var last = joined[(joined.LastIndexOf(',') + 1)..].Trim();
        return last.Length == 0 ? null : last;
    }

    private static string? Scheme(string value) => value.ToLowerInvariant() switch
    {
        "http" => "http",
        "https" => "https",
        _ => null,
    };

    /// <summary>An address with an optional port: <c>192.0.2.1</c>, <c>192.0.2.1:80</c>, <c>[2001:db8::1]:80</c>, bare IPv6; "unknown" and obfuscated ids are null.</summary>
    private static IPEndPoint? ParseNode(string node)
    {
        node = node.Trim();
        var port = 0;
        string host;
        if (node.StartsWith('['))
        {
            var close = node.IndexOf(']');
            if (close < 0) return null;
            host = node[1..close];
            var rest = node[(close + 1)..];
            if (rest.Length > 0 && (rest[0] != ':' || !TryPort(rest[1..], out port))) return null;
        }
        else if (node.Count(c => c == ':') == 1)
        {
            var colon = node.IndexOf(':');
            host = node[..colon];
            if (!TryPort(node[(colon + 1)..], out port)) return null;
        }
        else
        {
            host = node;
        }
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : null;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;

    // RFC 9110 §7.2: uri-host [ ":" port ]; nothing that could smuggle a path, a user or a second header.
    private static bool IsAuthority(string value) =>
        value.Length is > 0 and <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']' or '_');

    private static Dictionary<string, string> Pairs(string element)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in SplitOutsideQuotes(element, ';'))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) continue;
            var value = pair[(equals + 1)..].Trim();
            // RFC 7239 §4: a value is a token or a quoted-string (IPv6 nodes and ports must be quoted).
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            pairs.TryAdd(pair[..equals].Trim(), value);
        }
        return pairs;
    }

    private static List<string> SplitOutsideQuotes(string value, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '"' && (i == 0 || value[i - 1] != '\\')) quoted = !quoted;
            else if (value[i] == separator && !quoted)
            {
                AddPart(parts, value[start..i]);
                start = i + 1;
            }
        }
        AddPart(parts, value[start..]);
        return parts;
    }

    private static void AddPart(List<string> parts, string part)
    {
        part = part.Trim();
        if (part.Length > 0) parts.Add(part);
    }
}
