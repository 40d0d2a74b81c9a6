namespace Hyper.Conformance.Http11;

public static partial class SmugglingVectors
{
    private static string Chunked(string body) => PostHead("Transfer-Encoding: chunked\r\n") + body;

    // H1-05, H1-06, H1-07: the chunked coding, RFC 9112 §7.1.
    private static IEnumerable<Http11Vector> ChunkedCoding()
    {
        const string size = "RFC 9112 §7.1 (chunk-size = 1*HEXDIG); docs/security.md H1-05";
        yield return Reject("chunk size 0x prefix", size, Chunked("0x5\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size plus sign", size, Chunked("+5\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size minus sign", size, Chunked("-5\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size underscore", "HTTP Garden bugs 1, 17, 22, 25; " + size, Chunked("1_0\r\n0123456789abcdef\r\n0\r\n\r\n"));
        yield return Reject("chunk size leading SP", size, Chunked(" 5\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size trailing OWS without extension", size + " (BWS only before ';')", Chunked("5 \r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size empty", size + " (not read as 0)", Chunked("\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size longest valid prefix", size + " (no strtoll-style prefix read)", Chunked("5g\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size 17 digits", size + " (at most 16 digits)", Chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size overflows Int64", size + " (64-bit overflow)", Chunked("FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk size above the body limit", "docs/security.md (defaults) (body limit → 413)", Chunked("7FFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"), 413);

        const string ext = "RFC 9112 §7.1.1 (chunk-ext grammar); CVE-2025-55315; docs/security.md H1-06";
        yield return Reject("chunk ext bare LF (TERM.EXT)", ext,
            Chunked("5;a\nX\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk ext bare LF smuggles a request", ext,
            Chunked("2;\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n\r\nhi\r\n0\r\n\r\n"));
        yield return Reject("chunk ext bare CR", ext, Chunked("5;a\rX\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk ext NUL", ext, Chunked("5;a\0\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk ext invalid token", ext, Chunked("5;a@b\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk ext bare semicolon", ext, Chunked("5;\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk ext unterminated quoted-string", ext, Chunked("5;a=\"b\r\nhello\r\n0\r\n\r\n"));
        yield return Reject("chunk ext longer than the chunk line limit", ext + " (line ≤ 4 KiB; Go CVE-2023-39326)",
            Chunked("5;a=" + new string('x', 5000) + "\r\nhello\r\n0\r\n\r\n"));
        yield return Accept("chunk ext token value", ext, Chunked("5;name=value\r\nhello\r\n0;last\r\n\r\n"), Echo("POST", "/p", "hello"));
        yield return Accept("chunk ext quoted value with ; and escapes", ext,
            Chunked("5;name=\"a ; b \\\" c\"\r\nhello\r\n0\r\n\r\n"), Echo("POST", "/p", "hello"));
        yield return Accept("chunk ext with BWS", ext, Chunked("5 ; a = b ;c\r\nhello\r\n0\r\n\r\n"), Echo("POST", "/p", "hello"));

        const string term = "RFC 9112 §7.1 (chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF); docs/security.md H1-07";
        yield return Reject("chunk data longer than size (TERM.SPILL)", "h11 CVE-2025-43859; " + term, Chunked("5\r\nhelloXX\r\n0\r\n\r\n"));
        yield return Reject("chunk data without CRLF", term, Chunked("5\r\nhello0\r\n\r\n"));
        yield return Reject("chunk data followed by CR and another byte", term, Chunked("5\r\nhello\rX0\r\n\r\n"));
        yield return Reject("chunk data followed by bare LF", term + "; RFC 9112 §2.2", Chunked("5\r\nhello\n0\r\n\r\n"));
        yield return Reject("chunk size line ends in bare LF", term + "; docs/security.md H1-08", Chunked("5\nhello\r\n0\r\n\r\n"));
        yield return Reject("last chunk ends in bare LF", "HTTP Garden README payload 0\\n\\r\\n; " + term, Chunked("0\n\r\n"));
        yield return Reject("trailer section ends in bare LF", term, Chunked("5\r\nhello\r\n0\r\n\n"));
        yield return Accept("chunk sizes in upper-case hex with leading zeros", term,
            Chunked("000A\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n"), Echo("POST", "/p", "0123456789abcdefghij"));
        yield return Accept("chunked empty body", term, Chunked("0\r\n\r\n"), Echo("POST", "/p"));
    }

    // H1-16: framing, routing and auth fields in trailers are never honoured, and no trailer becomes a header.
    private static IEnumerable<Http11Vector> Trailers()
    {
        const string trailer = "RFC 9110 §6.5.1; docs/security.md H1-16";
        string[] names = ["host", "transfer-encoding"];
        Http11Vector WithTrailer(string name, string field) =>
            Accept(name, trailer, Chunked($"5\r\nhello\r\n0\r\n{field}\r\n\r\n"), Echo("POST", "/p", "hello", names));

        yield return WithTrailer("trailer Content-Length not honoured", "Content-Length: 50");
        yield return WithTrailer("trailer Transfer-Encoding not honoured", "Transfer-Encoding: chunked");
        yield return WithTrailer("trailer Host not honoured", "Host: evil.example");
        yield return WithTrailer("trailer Authorization not honoured", "Authorization: Basic YWRtaW46YWRtaW4=");
        yield return WithTrailer("trailer Content-Type not honoured", "Content-Type: application/evil");
        yield return WithTrailer("allowed trailer not merged into headers", "X-Checksum: abc");
        yield return Reject("trailer with obs-fold", "RFC 9112 §5.2, §7.1.2", Chunked("5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n"));
        yield return Reject("trailer with space before colon", "RFC 9112 §5.1, §7.1.2", Chunked("5\r\nhello\r\n0\r\nX-T : a\r\n\r\n"));
    }
}
