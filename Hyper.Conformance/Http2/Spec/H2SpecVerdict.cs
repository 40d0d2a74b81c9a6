namespace Hyper.Conformance.Http2.Spec;

/// <summary>The outcome of one case: passed or not, the expectation, everything the server sent, and why it failed.</summary>
public sealed record H2SpecVerdict(H2SpecCase Case, bool Passed, IReadOnlyList<string> Observed, string? Failure)
{
    /// <summary>Null when the case passed; otherwise expected vs observed, for an assertion message.</summary>
    public string? Explain() => Passed
        ? null
        : $"{Case.Id} ({Case.Section}) {Case.Description}: expected {Case.Expected}; {Failure}; observed [{string.Join("; ", Observed)}]";

    public override string ToString() => Explain() ?? $"{Case.Id}: passed";
}
