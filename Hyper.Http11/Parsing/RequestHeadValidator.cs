using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Http;
using Hyper.Core.Protocols;

namespace Hyper.Http11.Parsing;

/// <summary>
/// Applies the message-level rules to a syntactically valid head: Host (RFC 9112 §3.2), body framing
/// (RFC 9112 §6), persistence (§9.3) and Expect (RFC 9110 §10.1.1). The framing rules are the strict
/// set of docs/security.md B2.2: a head that two parsers could frame differently is refused.
/// </summary>
internal static class RequestHeadValidator
{
    public static ValidatedRequest Validate(ParsedRequestHead parsed, Http11Limits limits)
    {
        var line = parsed.RequestLine;
        var isHttp11 = line.HttpVersion == "1.1";
        HeaderField? host = null, contentLength = null, transferEncoding = null;
        bool connectionClose = false, connectionKeepAlive = false, expectContinue = false;

        foreach (var field in parsed.Fields)
        {
            var name = field.Name.Span;
            if (name.SequenceEqual("host"u8))
            {
                // RFC 9112 §3.2: a server MUST respond 400 to a request with more than one Host field line.
                if (host is not null) throw Reject(Http11RejectReason.InvalidHost, "more than one Host");
                host = field;
            }
            else if (name.SequenceEqual("content-length"u8))
            {
                // docs/security.md B2.2 rule 1: any second Content-Length, even an identical one, is refused.
                if (contentLength is not null) throw Reject(Http11RejectReason.InvalidContentLength, "more than one Content-Length");
                contentLength = field;
            }
            else if (name.SequenceEqual("transfer-encoding"u8))
            {
                if (transferEncoding is not null) throw Reject(Http11RejectReason.InvalidTransferEncoding, "more than one Transfer-Encoding");
                transferEncoding = field;
            }
            else if (name.SequenceEqual("connection"u8))
            {
                connectionClose |= ListContains(field.Value.Span, "close"u8);
                connectionKeepAlive |= ListContains(field.Value.Span, "keep-alive"u8);
            }
            else if (name.SequenceEqual("expect"u8))
            {
                expectContinue |= Ascii.EqualsIgnoreCase(field.Value.Span, "100-continue"u8);
            }
        }

        var authority = ValidateHost(line, host, isHttp11);
        var (framing, length) = ValidateFraming(contentLength, transferEncoding, isHttp11, limits);
        var hasBody = framing != BodyFraming.None;

        var head = new RequestHead
        {
            Method = line.Method,
            RawPath = line.Target.Path,
            QueryString = line.Target.Query,
            HttpVersion = line.HttpVersion,
            Headers = parsed.Fields,
            Authority = authority,
            HasBody = hasBody,
            ContentLength = length,
            // RFC 9110 §10.1.1: a server that receives 100-continue in an HTTP/1.0 request MUST ignore it.
            ExpectsContinue = expectContinue && isHttp11 && hasBody,
        };

        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive" (§C.2.2).
        var keepAlive = isHttp11 ? !connectionClose : connectionKeepAlive && !connectionClose;
        return new ValidatedRequest(head, framing, keepAlive);
    }

    private static ReadOnlyMemory<byte> ValidateHost(RequestLine line, HeaderField? host, bool isHttp11)
    {
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks a Host header field.
        if (host is null && isHttp11) throw Reject(Http11RejectReason.InvalidHost, "HTTP/1.1 request without Host");
        if (host is { } h && !HostSyntax.IsValid(h.Value.Span)) throw Reject(Http11RejectReason.InvalidHost, "Host value is invalid");
        // RFC 9112 §3.2: an empty Host stands for a target URI without authority. An origin-form request is for an
        // http(s) URI, whose host is never empty (RFC 9110 §4.2.1, §4.2.2), so its Host cannot be empty.
        if (host is { Value.IsEmpty: true } && line.Target.Form == RequestTargetForm.Origin)
            throw Reject(Http11RejectReason.InvalidHost, "empty Host with an origin-form target");

        if (line.Target.Authority is { } targetAuthority)
        {
            // RFC 9112 §3.2.2: the absolute-form authority wins; docs/security.md H1-11 refuses a Host that disagrees.
            if (host is { } given && !Ascii.EqualsIgnoreCase(given.Value.Span, targetAuthority))
                throw Reject(Http11RejectReason.InvalidHost, "Host conflicts with the absolute-form target");
            return targetAuthority;
        }
        return host?.Value ?? ReadOnlyMemory<byte>.Empty;
    }

    private static (BodyFraming Framing, long? Length) ValidateFraming(HeaderField? contentLength, HeaderField? transferEncoding, bool isHttp11, Http11Limits limits)
    {
        if (transferEncoding is { } te)
        {
            // RFC 9112 §6.1: a request with both MAY be rejected; it is never legitimate, so it is (H1-01).
            if (contentLength is not null) throw Reject(Http11RejectReason.ContentLengthWithTransferEncoding, "both Content-Length and Transfer-Encoding");
            // RFC 9112 §6.1: an HTTP/1.0 recipient cannot be trusted with chunked framing (H1-03).
            if (!isHttp11) throw Reject(Http11RejectReason.InvalidTransferEncoding, "Transfer-Encoding in an HTTP/1.0 request");
            ValidateTransferCodings(te.Value.Span);
            return (BodyFraming.Chunked, null);
        }

        if (contentLength is not { } cl) return (BodyFraming.None, null);
        var length = ParseContentLength(cl.Value.Span);
        if (limits.MaxBodySize > 0 && length > limits.MaxBodySize) throw Reject(Http11RejectReason.BodyTooLarge, "declared Content-Length exceeds the body limit");
        return (length == 0 ? BodyFraming.None : BodyFraming.ContentLength, length);
    }

    /// <summary>RFC 9112 §6.2: <c>Content-Length = 1*DIGIT</c>; at most 19 digits and within Int64 (H1-04).</summary>
    internal static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 19) throw Reject(Http11RejectReason.InvalidContentLength, "Content-Length is empty or too long");
        long result = 0;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9') throw Reject(Http11RejectReason.InvalidContentLength, "Content-Length is not 1*DIGIT");
            var digit = b - '0';
            if (result > (long.MaxValue - digit) / 10) throw Reject(Http11RejectReason.InvalidContentLength, "Content-Length overflows Int64");
            result = result * 10 + digit;
        }
        return result;
    }

    /// <summary>
    /// RFC 9112 §6.1: <c>Transfer-Encoding = #transfer-coding</c>. Only <c>chunked</c> is decoded, so the list must be
    /// exactly <c>chunked</c>. What is wrong decides the status:
    /// <list type="bullet">
    /// <item>a malformed list (empty elements, non-tokens, parameters) is 400;</item>
    /// <item>a final coding other than <c>chunked</c> (<c>gzip</c>, <c>chunked, gzip</c>) leaves the body's length
    /// undeterminable: RFC 9112 §6.3 says 400 and close, whatever the codings are;</item>
    /// <item><c>chunked</c> twice is 400 too (§6.1: a sender MUST NOT apply it more than once);</item>
    /// <item>a well-formed list ending in <c>chunked</c> with another coding before it (<c>gzip, chunked</c>) is 501
    /// (§6.1: "a server that receives a request message with a transfer coding it does not understand SHOULD respond
    /// with 501").</item>
    /// </list>
    /// </summary>
    private static void ValidateTransferCodings(ReadOnlySpan<byte> value)
    {
        var chunkedCount = 0;
        var unknownCount = 0;
        var lastIsChunked = false;
        foreach (var range in value.Split((byte)','))
        {
            var coding = FieldSyntax.TrimWhitespace(value[range]);
            if (!FieldSyntax.IsToken(coding)) throw Reject(Http11RejectReason.InvalidTransferEncoding, "Transfer-Encoding is not a list of tokens");
            lastIsChunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            if (lastIsChunked) chunkedCount++;
            else unknownCount++;
        }
        if (!lastIsChunked) throw Reject(Http11RejectReason.InvalidTransferEncoding, "the final transfer coding is not chunked");
        if (chunkedCount > 1) throw Reject(Http11RejectReason.InvalidTransferEncoding, "chunked is applied more than once");
        if (unknownCount > 0) throw Reject(Http11RejectReason.UnsupportedTransferEncoding, "a transfer coding other than chunked");
    }

    private static bool ListContains(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(FieldSyntax.TrimWhitespace(list[range]), token)) return true;
        }
        return false;
    }

    private static Http11ProtocolException Reject(Http11RejectReason reason, string detail) => new(reason, detail);
}
