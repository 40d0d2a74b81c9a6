namespace Hyper.Conformance.Http11;

public static partial class SmugglingVectors
{
    // H1-14, H1-15: where each pipelined message ends, and what happens after an error.
    private static IEnumerable<Http11Vector> Pipelining()
    {
        const string pipeline = "RFC 9112 §9.3.2; docs/security.md H1-14";
        const string smuggled = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";
        yield return Accept("two pipelined GETs answered in order", pipeline,
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n", Echo("GET", "/a"), Echo("GET", "/b"));
        yield return Accept("POST with CL then GET", pipeline,
            PostHead("Content-Length: 5\r\n") + "hello" + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n", Echo("POST", "/p", "hello"), Echo("GET", "/b"));
        yield return Accept("chunked POST then GET", pipeline,
            Chunked(ChunkedHello) + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n", Echo("POST", "/p", "hello"), Echo("GET", "/b"));
        yield return Accept("CL 0 followed by a request (CL0 body poison)", "Http11Probe SMUG-CL0-BODY-POISON; " + pipeline,
            PostHead("Content-Length: 0\r\n") + smuggled, Echo("POST", "/p"), Echo("GET", "/smuggled"));
        yield return Accept("GET body is read per CL", "RFC 9112 §6.3 rule 6; docs/security.md B2.2 rule 9 (GET-CL-BODY-DESYNC)",
            Get($"Content-Length: {smuggled.Length}\r\n") + smuggled, Echo("GET", "/g", smuggled));
        yield return Accept("OPTIONS body is read per CL", "RFC 9112 §6.3 rule 6; docs/security.md B2.2 rule 9 (OPTIONS-CL-BODY-DESYNC)",
            $"OPTIONS /o HTTP/1.1\r\nHost: h\r\nContent-Length: {smuggled.Length}\r\n\r\n" + smuggled, Echo("OPTIONS", "/o", smuggled));
        yield return Http11Vector.Of("valid request then malformed request", "HTTP Garden bug 45 (Uvicorn); " + pipeline,
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx" + smuggled,
            Http11Verdict.AcceptThenReject(400, Echo("GET", "/a")));
        yield return Http11Vector.Of("chunked POST then request with bare LF", pipeline + "; RFC 9112 §2.2",
            Chunked(ChunkedHello) + "GET /b HTTP/1.1\nHost: h\r\n\r\n" + smuggled,
            Http11Verdict.AcceptThenReject(400, Echo("POST", "/p", "hello")));
        yield return Http11Vector.Of("Connection close ends the pipeline", "RFC 9112 §9.6 (no request is read after close)",
            "GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + smuggled, Http11Verdict.AcceptThenClose(Echo("GET", "/a")));
        yield return Accept("Expect 100-continue with the body already sent", "RFC 9110 §10.1.1; docs/security.md H1-15",
            PostHead("Expect: 100-continue\r\nContent-Length: 5\r\n") + "hello", Echo("POST", "/p", "hello"));
    }

    // Valid edge cases around the strict rules: a strict parser must still accept every one of them.
    private static IEnumerable<Http11Vector> AcceptedEdgeCases()
    {
        yield return Accept("HTAB inside a field value", "RFC 9110 §5.5 (field-content allows HTAB)", Get("X-A: a\tb\r\n"), Echo("GET", "/g"));
        yield return Accept("obs-text in a field value", "RFC 9110 §5.5 (field-vchar includes obs-text)", Get("X-A: caf\xe9\r\n"), Echo("GET", "/g"));
        yield return Accept("empty field value", "RFC 9110 §5.5 (field-value = *field-content)", Get("X-Empty:\r\n"), Echo("GET", "/g"));
        yield return Accept("field names are case-insensitive", "RFC 9110 §5.1",
            "POST /p HTTP/1.1\r\nHOST: h\r\ncontent-LENGTH: 5\r\n\r\nhello", Echo("POST", "/p", "hello", "host", "content-length"));
        yield return Accept("percent-encoded path is decoded", "RFC 9112 §3.2.1; ASGI 2.4 path", "GET /a%41b HTTP/1.1\r\nHost: h\r\n\r\n", Echo("GET", "/aAb"));
        yield return Accept("query string is not part of the path", "RFC 9112 §3.2.1", "GET /q?x=1&y=%20 HTTP/1.1\r\nHost: h\r\n\r\n", Echo("GET", "/q"));
        yield return Accept("extension method", "RFC 9110 §9.1 (method = token)", "PURGE-X /m HTTP/1.1\r\nHost: h\r\n\r\n", Echo("PURGE-X", "/m"));
        yield return Accept("HTTP/1.0 keep-alive", "RFC 9112 §C.2.2",
            "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", Echo("GET", "/a"));
    }
}
