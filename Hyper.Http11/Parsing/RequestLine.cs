using System.Text;
using Hyper.Core.Http;

namespace Hyper.Http11.Parsing;

/// <summary>
/// The parsed request line:
/// <code>
/// request-line = method SP request-target SP HTTP-version      ; RFC 9112 §3
/// HTTP-version = HTTP-name "/" DIGIT "." DIGIT                 ; RFC 9112 §2.3
/// </code>
/// Exactly one SP between the parts; no other whitespace is tolerated (docs/security.md B2.2 rule 6).
/// </summary>
internal readonly record struct RequestLine(string Method, RequestTarget Target, string HttpVersion)
{
    public static RequestLine Parse(ReadOnlySpan<byte> line)
    {
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace || lastSpace == line.Length - 1)
            throw Malformed("request line is not three parts separated by single spaces");

        var method = line[..firstSpace];
        var target = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (target.IsEmpty || target.IndexOf((byte)' ') >= 0) throw Malformed("request line has more than two spaces");

        // RFC 9110 §9.1: method = token
        if (!FieldSyntax.IsToken(method)) throw new Http11ProtocolException(Http11RejectReason.InvalidMethod, "method is not a token");
        var methodString = KnownMethod(method) ?? Encoding.ASCII.GetString(method);

        var httpVersion = ParseVersion(version);

        // Hyper is an origin server: CONNECT (RFC 9110 §9.3.6) asks for a tunnel it will not open.
        if (methodString == "CONNECT") throw new Http11ProtocolException(Http11RejectReason.ConnectNotSupported, "CONNECT is not supported");

        return new RequestLine(methodString, RequestTarget.Parse(target, methodString), httpVersion);
    }

    private static string ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !char.IsAsciiDigit((char)version[5])
            || version[6] != (byte)'.' || !char.IsAsciiDigit((char)version[7]))
            throw Malformed("HTTP-version is not HTTP/DIGIT.DIGIT");

        // RFC 9110 §15.6.6: 505 for a major version the server does not support; HTTP/1.x beyond 1.1 is
        // answered the same way rather than downgraded, as Kestrel does.
        if (version[5] == (byte)'1' && version[7] == (byte)'1') return "1.1";
        if (version[5] == (byte)'1' && version[7] == (byte)'0') return "1.0";
        throw new Http11ProtocolException(Http11RejectReason.UnsupportedVersion, "HTTP version is not 1.0 or 1.1");
    }

    private static Http11ProtocolException Malformed(string detail) => new(Http11RejectReason.MalformedRequestLine, detail);

    // The common methods come back as one shared string each, so parsing them allocates nothing.
    private static string? KnownMethod(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ when method.SequenceEqual("PATCH"u8) => "PATCH",
        _ => null,
    };
}
