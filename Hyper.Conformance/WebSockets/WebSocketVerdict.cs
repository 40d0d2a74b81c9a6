namespace Hyper.Conformance.WebSockets;

/// <summary>The outcome of one case on one transport: passed, or why not, with every frame the server sent.</summary>
public sealed record WebSocketVerdict(WebSocketCase Case, string Transport, bool Passed, IReadOnlyList<string> Observed, string? Failure)
{
    /// <summary>Null when the case passed; otherwise a message naming the case, the rule, what was expected and what came.</summary>
    public string? Explain() => Passed
        ? null
        : $"{Case.Id} over {Transport} ({Case.Section}): {Case.Description}\n  expected: {Case.Expected}\n  failure: {Failure}\n  observed: " +
          (Observed.Count == 0 ? "nothing" : string.Join("; ", Observed));
}
