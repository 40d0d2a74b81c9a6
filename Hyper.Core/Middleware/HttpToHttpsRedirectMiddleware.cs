using System.Text;
using Hyper.Core.Application;

namespace Hyper.Core.Middleware;

/// <summary>
/// Hypercorn's <c>HTTPToHTTPSRedirectMiddleware</c>: wraps the application served on an <c>insecure_bind</c> so
/// that every cleartext HTTP request is answered <c>307 Temporary Redirect</c> (RFC 9110 §15.4.8: the method and
/// body are kept, unlike 301/302) to the same resource over https:
/// <c>https://HOST{root_path}{raw_path}?{query_string}</c>. Requests that already came over https, and every
/// other scope type (lifespan), go to the application unchanged. It must be the outermost wrapper, so nothing
/// runs for a request before it is redirected.
/// <para>
/// HOST is the <c>host</c> given here (with a port if the https port is not 443); without one it is the request's
/// Host header with its port dropped (the port there is the cleartext one). The Host header is the client's to
/// choose, so a redirect built from it can point anywhere; give <c>host</c> on anything public. A Host header
/// that is missing or is not a plain host[:port] gets 400. WebSocket sessions are not handled yet: Hyper has no
/// WebSocket scope today, and they pass through.
/// </para>
/// </summary>
public sealed class HttpToHttpsRedirectMiddleware
{
    private static readonly HeaderField[] BadRequestHeaders = [HeaderField.Of("content-type", "text/plain; charset=utf-8")];
    private static readonly byte[] BadRequestBody = "Bad Request: missing or invalid Host header"u8.ToArray();

    private readonly AsgiApplication _app;
    private readonly string? _host;

    /// <param name="app">The application requests over https reach.</param>
    /// <param name="host">The https authority to redirect to (e.g. <c>example.com</c> or <c>example.com:8443</c>); null: the Host header's host.</param>
    public HttpToHttpsRedirectMiddleware(AsgiApplication app, string? host = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (host is not null && !IsAuthority(host)) throw new ArgumentException($"'{host}' is not a host[:port]", nameof(host));
        _app = app;
        _host = host;
    }

    /// <summary>The wrapped application, to serve.</summary>
    public static AsgiApplication Wrap(AsgiApplication app, string? host = null) =>
        new HttpToHttpsRedirectMiddleware(app, host).InvokeAsync;

    public ValueTask InvokeAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope { Scheme: "http" } http) return _app(scope, receive, send);
        return RedirectAsync(http, send);
    }

    private async ValueTask RedirectAsync(HttpScope scope, AsgiSend send)
    {
        var host = _host ?? HostFromHeader(scope);
        if (host is null)
        {
            await send(new HttpResponseStart(400, BadRequestHeaders));
            await send(new HttpResponseBody(BadRequestBody));
            return;
        }
        await send(new HttpResponseStart(307, [new HeaderField("location"u8.ToArray(), Location(scope, host))]));
        await send(HttpResponseBody.EmptyFinal);
    }

    private static byte[] Location(HttpScope scope, string host)
    {
        var prefix = Encoding.ASCII.GetBytes("https://" + host + scope.RootPath);
        var path = scope.RawPath.Span;
        var query = scope.QueryString.Span;
        var location = new byte[prefix.Length + path.Length + (query.IsEmpty ? 0 : 1 + query.Length)];
        prefix.CopyTo(location, 0);
        path.CopyTo(location.AsSpan(prefix.Length));
        if (!query.IsEmpty)
        {
            location[prefix.Length + path.Length] = (byte)'?';
            query.CopyTo(location.AsSpan(prefix.Length + path.Length + 1));
        }
        return location;
    }

    // RFC 9110 §7.2: Host = uri-host [ ":" port ]. The cleartext port means nothing for https, so it is dropped.
    private static string? HostFromHeader(HttpScope scope)
    {
        foreach (var header in scope.Headers)
        {
            if (!header.NameIs("host"u8)) continue;
            var value = header.ValueString.Trim();
            if (!IsAuthority(value)) return null;
            return StripPort(value);
        }
        return null;
    }

    private static string StripPort(string authority)
    {
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            return authority[..(close + 1)];
        }
        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    // A reg-name, IPv4 or bracketed IPv6 host with an optional numeric port; nothing that could end the authority
    // early ('/', '?', '#', '@', '\') or smuggle a second line.
    private static bool IsAuthority(string text)
    {
        if (text.Length == 0 || text.Length > 255) return false;
        var host = text;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) return false;
            if (!System.Net.IPAddress.TryParse(text[1..close], out _)) return false;
            var rest = text[(close + 1)..];
            return rest.Length == 0 || (rest[0] == ':' && IsPort(rest[1..]));
        }
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!IsPort(text[(colon + 1)..])) return false;
            host = text[..colon];
        }
        return host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');
    }

    private static bool IsPort(string text) => text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit) && int.Parse(text) <= 65535;
}
