using System.Collections.Frozen;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.Http11.Parsing;

/// <summary>
/// RFC 9110 §6.5.1: fields that control framing, routing, request modifiers, authentication, response control
/// or content processing are not allowed in trailers. They are dropped, never merged (docs/security.md H1-16), so a
/// trailer can never change how a message was framed, routed or authorised.
/// </summary>
internal static class TrailerFieldFilter
{
    private static readonly FrozenSet<string> Prohibited = new[]
    {
        // framing
        "content-length", "transfer-encoding", "trailer", "te", "connection", "keep-alive", "upgrade", "proxy-connection",
        // routing
        "host",
        // request modifiers: controls and conditionals
        "expect", "max-forwards", "cache-control", "pragma", "range", "if-match", "if-none-match",
        "if-modified-since", "if-unmodified-since", "if-range",
        // authentication and cookies
        "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "cookie", "set-cookie",
        // response control data
        "age", "expires", "date", "location", "retry-after", "vary",
        // how to process the content
        "content-type", "content-encoding", "content-range",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsAllowed(HeaderField field) => !Prohibited.Contains(Encoding.ASCII.GetString(field.Name.Span));
}
