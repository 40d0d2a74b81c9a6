namespace Hyper.Conformance.Http11;

/// <summary>
/// The HTTP/1.1 request-smuggling and parser-strictness corpus: docs/security.md Part C rows H1-01 … H1-17 and the
/// strict rules of §B2.2, each vector citing the rule it enforces. The verdicts are those of a strict origin
/// server: every violation gets a 4xx (501/505 where the RFC names them) and a close, framing is never repaired,
/// and the valid edge cases around each rule must still be accepted with exactly the RFC's message boundaries.
/// The corpus is split by concept: body framing here, chunked coding in <c>.Chunked</c>, the head in <c>.Head</c>,
/// message boundaries and accepted edge cases in <c>.Boundaries</c>.
/// </summary>
public static partial class SmugglingVectors
{
    /// <summary>Every vector, in a stable order; names are unique.</summary>
    public static IReadOnlyList<Http11Vector> All { get; } =
        [.. BodyFraming(), .. ChunkedCoding(), .. Trailers(), .. LineTerminators(), .. FieldSyntax(), .. Host(),
         .. RequestLine(), .. OversizedHead(), .. Pipelining(), .. AcceptedEdgeCases()];

    /// <summary>Looks a vector up by <see cref="Http11Vector.Name"/> (test theories carry names, not objects).</summary>
    public static Http11Vector Named(string name) => All.Single(v => v.Name == name);

    private static Http11Vector Reject(string name, string source, string request, int status = 400) =>
        Http11Vector.Of(name, source, request, Http11Verdict.Rejected(status));

    private static Http11Vector Accept(string name, string source, string request, params EchoedRequest[] requests) =>
        Http11Vector.Of(name, source, request, Http11Verdict.Accept(requests));

    private static EchoedRequest Echo(string method, string path, string body = "", params string[] headerNames) =>
        new(method, path, body, headerNames.Length == 0 ? null : headerNames);

    private const string ChunkedHello = "5\r\nhello\r\n0\r\n\r\n";

    private static string PostHead(string fields) => $"POST /p HTTP/1.1\r\nHost: h\r\n{fields}\r\n";

    // H1-01, H1-02, H1-03, H1-04: which of Content-Length and Transfer-Encoding frames the body.
    private static IEnumerable<Http11Vector> BodyFraming()
    {
        const string clte = "RFC 9112 §6.1; docs/security.md H1-01";
        yield return Reject("CL.TE both present", clte, PostHead("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\nG");
        yield return Reject("TE.CL both present", clte, PostHead("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n") + "8\r\nSMUGGLED\r\n0\r\n\r\n");
        yield return Reject("CL.TE smuggled GET", clte,
            PostHead("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("CL 0 with TE chunked", clte, PostHead("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n") + ChunkedHello);

        const string tete = "RFC 9112 §6.1, §7; docs/security.md H1-02";
        yield return Reject("TE xchunked", tete + " (final coding not chunked → 400, RFC 9112 §6.3)", PostHead("Transfer-Encoding: xchunked\r\n") + ChunkedHello);
        yield return Reject("TE chunked, identity", tete + " (final coding not chunked → 400, RFC 9112 §6.3)", PostHead("Transfer-Encoding: chunked, identity\r\n") + ChunkedHello);
        yield return Reject("TE chunked, gzip", tete + " (final coding not chunked → 400, RFC 9112 §6.3)", PostHead("Transfer-Encoding: chunked, gzip\r\n") + ChunkedHello);
        yield return Reject("TE identity, chunked", tete + " (unknown coding before chunked → 501, RFC 9112 §6.1)", PostHead("Transfer-Encoding: identity, chunked\r\n") + ChunkedHello, 501);
        yield return Reject("TE ,chunked", "HTTP Garden: Gunicorn bug 21; " + tete, PostHead("Transfer-Encoding: ,chunked\r\n") + ChunkedHello);
        yield return Reject("TE empty value", tete, PostHead("Transfer-Encoding: \r\n") + ChunkedHello);
        yield return Reject("TE duplicate header", tete + " (B2.2 rule 2)", PostHead("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + ChunkedHello);
        yield return Reject("TE space before colon", "RFC 9112 §5.1; " + tete, PostHead("Transfer-Encoding : chunked\r\n") + ChunkedHello);
        yield return Reject("TE vertical tab before value", "RFC 9110 §5.5; " + tete, PostHead("Transfer-Encoding: \vchunked\r\n") + ChunkedHello);
        yield return Reject("TE form feed before value", "RFC 9110 §5.5; " + tete, PostHead("Transfer-Encoding: \fchunked\r\n") + ChunkedHello);
        yield return Reject("TE NUL after value", "RFC 9110 §5.5; " + tete, PostHead("Transfer-Encoding: chunked\0\r\n") + ChunkedHello);
        yield return Reject("TE folded with obs-fold", "RFC 9112 §5.2; " + tete, PostHead("Transfer-Encoding:\r\n chunked\r\n") + ChunkedHello);
        yield return Accept("TE chunked with trailing SP", "RFC 9110 §5.5 (OWS is not part of the value); " + tete,
            PostHead("Transfer-Encoding: chunked \r\n") + ChunkedHello, Echo("POST", "/p", "hello"));
        yield return Accept("TE HTAB before chunked", "RFC 9110 §5.5 (OWS includes HTAB); " + tete,
            PostHead("Transfer-Encoding:\tchunked\r\n") + ChunkedHello, Echo("POST", "/p", "hello"));
        yield return Accept("TE CHUNKED upper case", "RFC 9112 §7 (coding names are case-insensitive); " + tete,
            PostHead("Transfer-Encoding: CHUNKED\r\n") + ChunkedHello, Echo("POST", "/p", "hello"));
        yield return Reject("TE in HTTP/1.0", "RFC 9112 §6.1; docs/security.md H1-03",
            "POST /p HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + ChunkedHello);

        const string cl = "RFC 9112 §6.2 (Content-Length = 1*DIGIT); docs/security.md H1-04";
        yield return Reject("CL duplicate identical", cl + " (B2.2 rule 1: even identical)", PostHead("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello");
        yield return Reject("CL duplicate different", "RFC 9112 §6.3 rule 5; docs/security.md H1-04", PostHead("Content-Length: 5\r\nContent-Length: 0\r\n") + "hello");
        yield return Reject("CL comma list", "RFC 9112 §6.3 rule 5; docs/security.md H1-04", PostHead("Content-Length: 5, 5\r\n") + "hello");
        yield return Reject("CL plus sign", "HTTP Garden bugs 1 and 10 (aiohttp CVE-2023-47627); " + cl, PostHead("Content-Length: +5\r\n") + "hello");
        yield return Reject("CL negative zero", cl, PostHead("Content-Length: -0\r\n") + "hello");
        yield return Reject("CL hex", cl, PostHead("Content-Length: 0x5\r\n") + "hello");
        yield return Reject("CL underscore", "HTTP Garden bugs 1 and 10; " + cl, PostHead("Content-Length: 5_0\r\n") + "hello");
        yield return Reject("CL internal space", cl, PostHead("Content-Length: 5 0\r\n") + "hello");
        yield return Reject("CL empty", cl, PostHead("Content-Length: \r\n") + "hello");
        yield return Reject("CL 20 digits", cl + " (at most 19 digits)", PostHead("Content-Length: 00000000000000000005\r\n") + "hello");
        yield return Reject("CL overflows Int64", cl, PostHead("Content-Length: 9999999999999999999\r\n") + "hello");
        yield return Reject("CL above the body limit", "docs/security.md (defaults) (30,000,000 B → 413)", PostHead("Content-Length: 30000001\r\n") + "hello", 413);
        yield return Accept("CL leading zero is decimal", cl + " (05 is five, not octal)", PostHead("Content-Length: 05\r\n") + "hello", Echo("POST", "/p", "hello"));
        yield return Accept("CL surrounded by OWS", "RFC 9110 §5.5 (OWS is not part of the value); " + cl,
            PostHead("Content-Length: \t5 \r\n") + "hello", Echo("POST", "/p", "hello"));
    }
}
