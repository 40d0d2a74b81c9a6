using Hyper.Core.Configuration;
using Hyper.Http11.Tests.Support;

namespace Hyper.Http11.Tests;

/// <summary>
/// Every rule of docs/security.md H1-01…H1-17 and B2.2: each payload is refused with its status, once, answered with
/// <c>connection: close</c>, and the connection ends — fed whole, byte by byte and split at every position.
/// </summary>
public sealed class Http11RejectionTests
{
    private const string Post = "POST / HTTP/1.1\r\nHost: h\r\n";
    private const string Chunked = Post + "Transfer-Encoding: chunked\r\n\r\n";

    public static TheoryData<string, string, int> Payloads => new()
    {
        // H1-08 line terminators: CRLF only.
        { "bare LF after request line", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400 },
        { "bare LF after field", "GET / HTTP/1.1\r\nHost: h\n\r\n", 400 },
        { "bare LF as final line", "GET / HTTP/1.1\r\nHost: h\r\n\n", 400 },
        { "bare CR in request line", "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "bare CR in field value", "GET / HTTP/1.1\r\nHost: h\r\nA: b\rc\r\n\r\n", 400 },
        { "bare CR ending a field", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 400 },
        { "bare LF leading line", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        // H1-12 request line.
        { "double SP after method", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "double SP before version", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "tab separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "leading SP", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "trailing SP", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400 },
        { "missing version", "GET /\r\nHost: h\r\n\r\n", 400 },
        { "space in target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "method not a token", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "lower-case http name", "GET / http/1.1\r\nHost: h\r\n\r\n", 400 },
        { "version without minor", "GET / HTTP/1\r\nHost: h\r\n\r\n", 400 },
        { "version two digits", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400 },
        { "version 2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
        { "version 1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", 505 },
        { "version 0.9", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505 },
        { "target with NUL", "GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "target with non-ASCII", "GET /\xe9 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "target with fragment", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "relative target", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "asterisk for GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "authority-form for GET", "GET h:80 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "CONNECT", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 405 },
        { "absolute-form with userinfo", "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "absolute-form empty authority", "GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        // H1-09 / H1-10 field syntax.
        { "obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400 },
        { "obs-fold of TE", Post + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400 },
        { "SP before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400 },
        { "TE with SP before colon", Post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400 },
        { "tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400 },
        { "empty name", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400 },
        { "no colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400 },
        { "non-token name", "GET / HTTP/1.1\r\nHost: h\r\nX(y): v\r\n\r\n", 400 },
        { "0xA0 in name", "GET / HTTP/1.1\r\nHost: h\r\nX\xa0Y: v\r\n\r\n", 400 },
        { "0x85 in name", "GET / HTTP/1.1\r\nHost: h\r\nX\x85: v\r\n\r\n", 400 },
        { "NUL in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", 400 },
        { "VT in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\vb\r\n\r\n", 400 },
        { "DEL in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400 },
        // H1-11 Host.
        { "HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400 },
        { "two Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400 },
        { "Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400 },
        { "Host with path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
        { "Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400 },
        { "Host bad port", "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 400 },
        { "two Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "absolute-form Host mismatch", "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n", 400 },
        // RFC 9110 §4.2.1: an origin-form target stands for an http URI, whose host is never empty.
        { "empty Host, origin-form", "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400 },
        { "empty Host, origin-form, HTTP/1.0", "GET / HTTP/1.0\r\nHost:\r\n\r\n", 400 },
        // A decoded NUL in the path (as Kestrel): never a legitimate name, and a C library or file system cuts it short.
        { "path with %00", "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "path ending %00", "GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "path %%00", "GET /%%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "absolute-form path with %00", "GET http://h/%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        // H1-01 / H1-02 / H1-03 Transfer-Encoding.
        { "CL and TE", Post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE and CL", Post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400 },
        { "TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "duplicate TE", Post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        // RFC 9112 §6.3: a final coding other than chunked leaves the length undeterminable: 400 and close, whatever
        // the coding; 501 (§6.1) is for a coding Hyper does not implement before a final chunked.
        { "TE xchunked", Post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE identity", Post + "Transfer-Encoding: identity\r\n\r\n", 400 },
        { "TE gzip", Post + "Transfer-Encoding: gzip\r\n\r\n", 400 },
        { "TE chunked, gzip", Post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400 },
        { "TE gzip, chunked", Post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501 },
        { "TE gzip, deflate, chunked", Post + "Transfer-Encoding: gzip, deflate, chunked\r\n\r\n0\r\n\r\n", 501 },
        { "TE chunked, identity", Post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400 },
        { "TE chunked, chunked", Post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE chunked, gzip, chunked", Post + "Transfer-Encoding: chunked, gzip, chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE ,chunked", Post + "Transfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE chunked,", Post + "Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n", 400 },
        { "TE empty", Post + "Transfer-Encoding: \r\n\r\n", 400 },
        { "TE VT chunked", Post + "Transfer-Encoding: \vchunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE FF chunked", Post + "Transfer-Encoding: \fchunked\r\n\r\n0\r\n\r\n", 400 },
        { "TE chunked NUL", Post + "Transfer-Encoding: chunked\0\r\n\r\n0\r\n\r\n", 400 },
        { "TE chunked with parameter", Post + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 400 },
        { "TE quoted chunked", Post + "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400 },
        // H1-04 Content-Length.
        { "CL duplicate identical", Post + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400 },
        { "CL duplicate different", Post + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxx", 400 },
        { "CL comma list", Post + "Content-Length: 1, 1\r\n\r\nx", 400 },
        { "CL plus sign", Post + "Content-Length: +5\r\n\r\nhello", 400 },
        { "CL negative zero", Post + "Content-Length: -0\r\n\r\n", 400 },
        { "CL negative", Post + "Content-Length: -1\r\n\r\n", 400 },
        { "CL hex", Post + "Content-Length: 0x5\r\n\r\nhello", 400 },
        { "CL underscore", Post + "Content-Length: 5_0\r\n\r\nhello", 400 },
        { "CL internal space", Post + "Content-Length: 1 2\r\n\r\nx", 400 },
        { "CL empty", Post + "Content-Length: \r\n\r\n", 400 },
        { "CL 20 digits", Post + "Content-Length: 00000000000000000001\r\n\r\nx", 400 },
        { "CL over Int64", Post + "Content-Length: 9223372036854775808\r\n\r\n", 400 },
        { "CL decimal point", Post + "Content-Length: 1.0\r\n\r\nx", 400 },
        // H1-05 chunk size.
        { "chunk size 0x prefix", Chunked + "0x5\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size plus", Chunked + "+5\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size minus", Chunked + "-5\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size underscore", Chunked + "5_0\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size leading SP", Chunked + " 5\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size trailing SP", Chunked + "5 \r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size trailing tab", Chunked + "5\t\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size empty", Chunked + "\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size not hex", Chunked + "g\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size 17 digits", Chunked + "00000000000000005\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size over Int64", Chunked + "8000000000000000\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk size 2^64 wraps", Chunked + "10000000000000005\r\nhello\r\n0\r\n\r\n", 400 },
        // H1-06 chunk extensions (Kestrel CVE-2025-55315: bare LF in an extension).
        { "chunk ext bare LF", Chunked + "5;a\nxx\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext bare LF then smuggled", Chunked + "2;\n\r\nxx\r\n45\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400 },
        { "chunk ext bare CR", Chunked + "5;a\rb\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext NUL", Chunked + "5;a\0\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext bare semicolon", Chunked + "5;\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext invalid token", Chunked + "5;a(b)\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext empty value", Chunked + "5;a=\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext unterminated quote", Chunked + "5;a=\"x\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunk ext trailing SP", Chunked + "5;a=b \r\nhello\r\n0\r\n\r\n", 400 },
        { "last chunk ext bare LF", Chunked + "0;a\n\r\n\r\n", 400 },
        // H1-07 chunk terminator (h11 CVE-2025-43859, TERM.SPILL).
        { "chunk data spill", Chunked + "5\r\nhelloXX\r\n0\r\n\r\n", 400 },
        { "chunk data missing CRLF", Chunked + "5\r\nhello0\r\n\r\n", 400 },
        { "chunk data bare LF", Chunked + "5\r\nhello\n0\r\n\r\n", 400 },
        { "chunk data CR X", Chunked + "5\r\nhello\rX0\r\n\r\n", 400 },
        { "chunk line LF only", Chunked + "5\nhello\r\n0\r\n\r\n", 400 },
        { "last chunk LF only (Garden)", Chunked + "0\n\r\n", 400 },
        { "trailer section LF end", Chunked + "0\r\n\n", 400 },
        { "trailer bare LF", Chunked + "0\r\nX: y\n\r\n", 400 },
        { "trailer obs-fold", Chunked + "0\r\nX: y\r\n z\r\n\r\n", 400 },
        { "trailer bad name", Chunked + "0\r\nX y: z\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Receive_MalformedRequest_RejectedWithStatusAndClosed(string rule, string payload, int status)
    {
        var t = FeedVariants.Run(payload);

        t.Events.Where(e => e.StartsWith("rejected", StringComparison.Ordinal)).Should().ContainSingle(rule)
            .Which.Should().EndWith($" {status}", rule);
        t.Events[^1].Should().StartWith("rejected", "nothing is parsed after a rejection");
        t.Output.Should().StartWith($"HTTP/1.1 {status} ").And.Contain("\r\nconnection: close\r\n");
        t.ShouldClose.Should().BeTrue();
        t.WantsInput.Should().BeFalse();
    }

    public static TheoryData<string, string, int, Http11Limits> LimitPayloads => new()
    {
        { "request line over the limit", "GET /0123456789 HTTP/1.1\r\nHost: h\r\n\r\n", 414, new Http11Limits { MaxRequestLineSize = 16 } },
        { "request line over the limit, no CRLF yet", "GET /0123456789abcdef", 414, new Http11Limits { MaxRequestLineSize = 16 } },
        { "leading empty lines count", "\r\n\r\n\r\nGET /1234 HTTP/1.1\r\nHost: h\r\n\r\n", 414, new Http11Limits { MaxRequestLineSize = 18 } },
        // 414 is about the target (RFC 9110 §15.5.15): a line over the limit that is still all method is a bad request.
        { "method over the limit, no SP yet", new string('G', 40), 400, new Http11Limits { MaxRequestLineSize = 16 } },
        { "method over the limit, line complete", new string('G', 40) + "\r\nHost: h\r\n\r\n", 400, new Http11Limits { MaxRequestLineSize = 16 } },
        { "method over the limit after empty lines", "\r\n\r\n" + new string('G', 40), 400, new Http11Limits { MaxRequestLineSize = 16 } },
        { "header section over the limit", "GET / HTTP/1.1\r\nHost: h\r\nA: 1234567\r\n\r\n", 431, new Http11Limits { MaxHeaderSize = 20 } },
        { "header section over the limit, incomplete", "GET / HTTP/1.1\r\nHost: h\r\nA: 0123456789012345678901234567", 431, new Http11Limits { MaxHeaderSize = 20 } },
        { "too many fields", "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", 431, new Http11Limits { MaxHeaderCount = 2 } },
        { "declared Content-Length over the body limit", Post + "Content-Length: 11\r\n\r\n", 413, new Http11Limits { MaxBodySize = 10 } },
        { "chunked body over the body limit", Chunked + "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n", 413, new Http11Limits { MaxBodySize = 10 } },
        { "chunk line over the limit", Chunked + "5;aaaaaaaaaaaaaaaaaaaaaaaaaaa=b\r\nhello\r\n0\r\n\r\n", 400, new Http11Limits { MaxChunkLineSize = 16 } },
        { "chunk line over the limit, no CRLF yet", Chunked + "5;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 400, new Http11Limits { MaxChunkLineSize = 16 } },
        { "trailer section over the limit", Chunked + "0\r\nX-A: 0123456789\r\nX-B: 0123456789\r\n\r\n", 431, new Http11Limits { MaxTrailerSize = 20 } },
        { "too many trailers", Chunked + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 431, new Http11Limits { MaxHeaderCount = 2 } },
    };

    [Theory]
    [MemberData(nameof(LimitPayloads))]
    public void Receive_OverLimit_RejectedWithStatusAndClosed(string rule, string payload, int status, Http11Limits limits)
    {
        var t = FeedVariants.Run(payload, Http11Harness.DefaultSettings(limits));

        t.Events.Where(e => e.StartsWith("rejected", StringComparison.Ordinal)).Should().ContainSingle(rule)
            .Which.Should().EndWith($" {status}", rule);
        t.Output.Should().StartWith($"HTTP/1.1 {status} ").And.Contain("\r\nconnection: close\r\n");
        t.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Receive_HundredKilobyteMethod_400NotUriTooLong()
    {
        // A 100 KB method token and no space yet: refused as a bad method as soon as the limit is passed.
        var h = new Http11Harness();
        h.Feed(new string('A', 100 * 1024));

        h.Single<Hyper.Core.Protocols.RequestRejected>().StatusCode.Should().Be(400);
        h.Connection.WantsInput.Should().BeFalse();
    }

    [Fact]
    public void Receive_EmptyHostWithAsteriskForm_Accepted()
    {
        // The empty-Host rule is for origin-form targets; OPTIONS * keeps the RFC 9112 §3.2 allowance it had.
        var h = new Http11Harness();
        h.Feed("OPTIONS * HTTP/1.1\r\nHost: \r\n\r\n");

        h.Events.OfType<Hyper.Core.Protocols.RequestReceived>().Should().ContainSingle();
    }

    [Fact]
    public void Receive_HugeRequestLine_RejectedBeforeBufferingPastTheLimit()
    {
        var h = new Http11Harness();
        h.Feed("GET /" + new string('a', 8 * 1024));

        h.Single<Hyper.Core.Protocols.RequestRejected>().StatusCode.Should().Be(414);
        h.Connection.WantsInput.Should().BeFalse();
    }

    [Fact]
    public void Receive_BytesAfterRejection_Ignored()
    {
        var h = new Http11Harness();
        h.Feed("GET / HTTP/1.1\r\n\r\n");
        h.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        h.Events.Should().ContainSingle().Which.Should().BeOfType<Hyper.Core.Protocols.RequestRejected>();
    }

    [Fact]
    public void Receive_ValidThenInvalidPipelined_FirstAnsweredThenRejected()
    {
        var t = FeedVariants.Run("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost h\r\n\r\n");

        t.Events.Should().Equal(
            "received 1 GET /1 HTTP/1.1 authority=h body=False length=- continue=False [host: h]",
            "ended 1 trailers=[]",
            "completed 1",
            "rejected 2 400");
        t.Output.Should().Be("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok" +
                             "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        t.ShouldClose.Should().BeTrue();
    }
}
