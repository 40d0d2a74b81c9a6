namespace Hyper.Conformance.Http11;

/// <summary>
/// What a server did with one vector: the final responses in order (1xx interim responses are kept apart),
/// whether it closed the connection, and whether the runner gave up waiting.
/// </summary>
/// <param name="Responses">Final (non-1xx) responses, in wire order.</param>
/// <param name="InterimStatuses">1xx statuses seen, e.g. 100 for <c>Expect: 100-continue</c>.</param>
/// <param name="Closed">The server closed or reset the connection.</param>
/// <param name="TimedOut">The runner's deadline passed before the server closed.</param>
/// <param name="ReadError">Set when the bytes that came back were not valid HTTP/1.1 responses.</param>
public sealed record VectorOutcome(
    IReadOnlyList<ObservedResponse> Responses,
    IReadOnlyList<int> InterimStatuses,
    bool Closed,
    bool TimedOut,
    string? ReadError)
{
    /// <summary>
    /// Compares the outcome with the verdict; null when they agree, else why not. When the verdict keeps the
    /// connection open, the runner sent <see cref="VectorRunner.Probe"/> afterwards, so its echo must come last:
    /// that proves the vector's framing ended exactly where the vector did (no bytes left over, none missing).
    /// </summary>
    public string? Explain(Http11Verdict expected)
    {
        var wanted = new List<string>();
        foreach (var request in expected.Accepted) wanted.Add($"200 echo {request}");
        if (expected.RejectedWith is { } status) wanted.Add($"{status}");
        else if (expected.Persistent) wanted.Add($"200 echo {VectorRunner.ProbeEcho}");

        var problems = new List<string>();
        if (ReadError is not null) problems.Add($"unreadable response: {ReadError}");
        if (!Matches(expected)) problems.Add($"expected responses [{string.Join(" ; ", wanted)}]");
        if (!Closed) problems.Add(TimedOut ? "the connection was not closed before the deadline" : "the connection was not closed");
        return problems.Count == 0 ? null : $"{string.Join("; ", problems)}; got [{string.Join(" ; ", Responses)}] closed={Closed}";
    }

    private bool Matches(Http11Verdict expected)
    {
        var echoes = expected.Accepted.ToList();
        if (expected.RejectedWith is null && expected.Persistent) echoes.Add(VectorRunner.ProbeEcho);
        var count = echoes.Count + (expected.RejectedWith is null ? 0 : 1);
        if (Responses.Count != count) return false;
        for (var i = 0; i < echoes.Count; i++)
        {
            if (Responses[i].Echo is not { } echo || !Same(echoes[i], echo)) return false;
        }
        return expected.RejectedWith is not { } status || Responses[^1].Status == status;
    }

    private static bool Same(EchoedRequest want, EchoedRequest got) =>
        want.Method == got.Method && want.Path == got.Path && want.Body == got.Body
        && (want.HeaderNames is null || (got.HeaderNames is { } names && names.SequenceEqual(want.HeaderNames)));
}
