namespace Hyper.Conformance.Http11;

public static partial class SmugglingVectors
{
    private static string Get(string fields, string target = "/g") => $"GET {target} HTTP/1.1\r\nHost: h\r\n{fields}\r\n";

    // H1-08: CRLF only (docs/security.md B2.2 rule 4, stricter than RFC 9112 §2.2's MAY for a bare LF).
    private static IEnumerable<Http11Vector> LineTerminators()
    {
        const string crlf = "RFC 9112 §2.2; docs/security.md H1-08";
        yield return Reject("bare LF after request line", crlf, "GET /g HTTP/1.1\nHost: h\r\n\r\n");
        yield return Reject("bare LF after field line", crlf, "GET /g HTTP/1.1\r\nHost: h\n\r\n");
        yield return Reject("bare LF ends the head", crlf, "GET /g HTTP/1.1\r\nHost: h\r\n\n");
        yield return Reject("bare CR ends the request line", crlf + " (a bare CR MUST be rejected)", "GET /g HTTP/1.1\rHost: h\r\n\r\n");
        yield return Reject("bare CR inside a field value", crlf, Get("X-A: a\rb\r\n"));
    }

    // H1-09, H1-10: field-line syntax, RFC 9112 §5 and RFC 9110 §5.
    private static IEnumerable<Http11Vector> FieldSyntax()
    {
        const string field = "RFC 9112 §5.1; RFC 9110 §5.1, §5.5; docs/security.md H1-10";
        yield return Reject("obs-fold continuation line", "RFC 9112 §5.2; docs/security.md H1-09", Get("X-A: a\r\n b\r\n"));
        yield return Reject("obs-fold with HTAB", "RFC 9112 §5.2; docs/security.md H1-09", Get("X-A: a\r\n\tb\r\n"));
        yield return Reject("space before colon", field + " (MUST reject)", Get("X-A : a\r\n"));
        yield return Reject("tab before colon", field, Get("X-A\t: a\r\n"));
        yield return Reject("Content-Length with space before colon", field, PostHead("Content-Length : 5\r\n") + "hello");
        yield return Reject("empty field name", "HTTP Garden (Go, Gunicorn, Node.js, Tornado); " + field, Get(": a\r\n"));
        yield return Reject("field line without colon", field, Get("X-A a\r\n"));
        yield return Reject("non-tchar in field name", field, Get("X(A): a\r\n"));
        yield return Reject("NBSP 0xA0 in field name", "HTTP Garden (Gunicorn, Tornado, Waitress); " + field, PostHead("Content-Length\xa0: 5\r\n") + "hello");
        yield return Reject("NEL 0x85 in field name", "HTTP Garden (Gunicorn, Tornado, Waitress); " + field, PostHead("\x85" + "Content-Length: 5\r\n") + "hello");
        yield return Reject("NUL in field value", "HTTP Garden (aiohttp, Gunicorn, Tornado); " + field, Get("X-A: a\0b\r\n"));
        yield return Reject("DEL in field value", field, Get("X-A: a\x7f" + "b\r\n"));
    }

    // H1-11: exactly one valid Host; the absolute-form authority wins and a conflict is refused.
    private static IEnumerable<Http11Vector> Host()
    {
        const string host = "RFC 9112 §3.2; docs/security.md H1-11";
        yield return Reject("Host missing in HTTP/1.1", host + " (MUST respond 400)", "GET /g HTTP/1.1\r\n\r\n");
        yield return Reject("Host twice", host + " (MUST respond 400)", Get("Host: h\r\n"));
        yield return Reject("Host comma list", host, "GET /g HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n");
        yield return Reject("Host with path", host + "; RFC 3986 §3.2", "GET /g HTTP/1.1\r\nHost: h/evil\r\n\r\n");
        yield return Reject("absolute-form authority conflicts with Host", host + " §3.2.2",
            "GET http://a.example/g HTTP/1.1\r\nHost: b.example\r\n\r\n");
        yield return Reject("absolute-form without Host in HTTP/1.1", host, "GET http://h/g HTTP/1.1\r\n\r\n");
        yield return Accept("absolute-form with matching Host", "RFC 9112 §3.2.2", "GET http://h/abs?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", Echo("GET", "/abs"));
        yield return Http11Vector.Of("HTTP/1.0 without Host", "RFC 9112 §3.2 (Host is required in HTTP/1.1 only); RFC 9112 §9.3",
            "GET /old HTTP/1.0\r\n\r\n", Http11Verdict.AcceptThenClose(Echo("GET", "/old")));
    }

    // H1-12: request-line = method SP request-target SP HTTP-version, RFC 9112 §3.
    private static IEnumerable<Http11Vector> RequestLine()
    {
        const string line = "RFC 9112 §3; docs/security.md H1-12";
        yield return Reject("double SP after method", line, "GET  /g HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("HTAB as separator", line, "GET\t/g HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("trailing SP after version", line, "GET /g HTTP/1.1 \r\nHost: h\r\n\r\n");
        yield return Reject("leading SP before method", line, " GET /g HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("method is not a token", "RFC 9110 §9.1; " + line, "G(T /g HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("HTTP/0.9 style line", line, "GET /g\r\nHost: h\r\n\r\n");
        yield return Reject("lower-case http version", "RFC 9112 §2.3 (HTTP-name is case-sensitive)", "GET /g http/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("two-digit minor version", "RFC 9112 §2.3", "GET /g HTTP/1.10\r\nHost: h\r\n\r\n");
        yield return Reject("HTTP/2.0 over HTTP/1 framing", "RFC 9110 §15.6.6; " + line, "GET /g HTTP/2.0\r\nHost: h\r\n\r\n", 505);
        yield return Reject("DEL in request-target", "RFC 3986 §2; " + line, "GET /a\x7f" + "b HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("fragment in request-target", "RFC 9112 §3.2 (no fragment)", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("asterisk-form with GET", "RFC 9112 §3.2.4 (OPTIONS only)", "GET * HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("authority-form with GET", "RFC 9112 §3.2.3 (CONNECT only)", "GET h:80 HTTP/1.1\r\nHost: h\r\n\r\n");
        yield return Reject("CONNECT to an origin server", "RFC 9110 §9.3.6; docs/security.md H1-12 (405)", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 405);
        yield return Accept("OPTIONS asterisk-form", "RFC 9112 §3.2.4", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", Echo("OPTIONS", "*"));
    }

    // H1-13: oversized heads are refused with their status, never buffered past the limit.
    private static IEnumerable<Http11Vector> OversizedHead()
    {
        const string size = "docs/security.md H1-13, A7";
        yield return Reject("request line over 8 KiB", size + " (414; RFC 9112 §3)", $"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: h\r\n\r\n", 414);
        yield return Reject("header section over 32 KiB", size + " (431; RFC 6585 §5)",
            Get(string.Concat(Enumerable.Range(0, 5).Select(i => $"X-Big-{i}: {new string('b', 8000)}\r\n"))), 431);
        yield return Reject("101 header fields", size + " (431)", Get(string.Concat(Enumerable.Range(0, 100).Select(i => $"X-F{i}: {i}\r\n"))), 431);
        yield return Accept("100 header fields", size + " (the limit itself is allowed)",
            Get(string.Concat(Enumerable.Range(0, 99).Select(i => $"X-F{i}: {i}\r\n"))), Echo("GET", "/g"));
    }
}
