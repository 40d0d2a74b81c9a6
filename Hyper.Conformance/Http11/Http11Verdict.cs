namespace Hyper.Conformance.Http11;

/// <summary>One request the server must have handed to the application, as the echo application reports it.</summary>
/// <param name="Method">The request method.</param>
/// <param name="Path">The decoded path (<c>*</c> for the asterisk-form).</param>
/// <param name="Body">The request body, Latin-1.</param>
/// <param name="HeaderNames">When set, the exact request header names in wire order; used to prove trailers were not merged.</param>
public sealed record EchoedRequest(string Method, string Path, string Body, IReadOnlyList<string>? HeaderNames = null)
{
    public override string ToString() =>
        $"{Method} {Path} [{Body.Length}] {Printable(Body)}" + (HeaderNames is null ? "" : $" headers=[{string.Join(",", HeaderNames)}]");

    internal static string Printable(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n");
}

/// <summary>
/// What a strict server does with a vector: the requests it hands to the application, in order, and then
/// either a rejection status followed by a close (docs/security.md B2.2: "every violation gets a 4xx and the
/// connection closed"), or nothing more (the connection stays usable when <see cref="Persistent"/>).
/// </summary>
public sealed record Http11Verdict(IReadOnlyList<EchoedRequest> Accepted, int? RejectedWith, bool Persistent)
{
    /// <summary>The first request is refused with <paramref name="status"/> and the connection closed.</summary>
    public static Http11Verdict Rejected(int status) => new([], status, Persistent: false);

    /// <summary>Every request is handed to the application exactly as given, and the connection stays open.</summary>
    public static Http11Verdict Accept(params EchoedRequest[] requests) => new(requests, null, Persistent: true);

    /// <summary>The requests are answered and the server then closes (HTTP/1.0, <c>Connection: close</c>).</summary>
    public static Http11Verdict AcceptThenClose(params EchoedRequest[] requests) => new(requests, null, Persistent: false);

    /// <summary>Earlier pipelined requests are answered in order, then the bad one is refused and the connection closed (H1-14).</summary>
    public static Http11Verdict AcceptThenReject(int status, params EchoedRequest[] requests) => new(requests, status, Persistent: false);

    public override string ToString() =>
        string.Join(" | ", Accepted.Select(r => r.ToString()))
        + (RejectedWith is { } status ? $" then {status} and close" : Persistent ? " (keep-alive)" : " then close");
}
