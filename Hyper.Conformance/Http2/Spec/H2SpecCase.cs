namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// One conformance case in h2spec's numbering (<c>generic/…</c>, <c>http2/…</c> with RFC 7540 section numbers,
/// <c>hpack/…</c>), written from the RFC sentence it checks: what the client sends after the handshake
/// (<see cref="Steps"/>) and what the server must do (<see cref="Expected"/>). Pure data: the same case runs over a
/// socket against any server, or in memory.
/// </summary>
/// <param name="Id">h2spec's id, e.g. <c>http2/6.5/3</c>.</param>
/// <param name="Section">The rule cited, in RFC 9113 / RFC 7541 numbering (with RFC 7540's where h2spec uses it).</param>
/// <param name="Description">h2spec's description of what the client sends.</param>
public sealed record H2SpecCase(string Id, string Section, string Description, IReadOnlyList<H2SpecStep> Steps, H2SpecExpectation Expected)
{
    /// <summary>Run only by h2spec's <c>--strict</c> mode (a SHOULD rather than a MUST); this suite runs them always.</summary>
    public bool Strict { get; init; }

    /// <summary>The case writes its own preface (h2spec's §3.5 cases); the runner does not handshake first.</summary>
    public bool SkipHandshake { get; init; }

    /// <summary>The group, e.g. <c>http2/6.5</c> for <c>http2/6.5/3</c>.</summary>
    public string Group => Id[..Id.LastIndexOf('/')];

    public override string ToString() => $"{Id} {Description}";
}
