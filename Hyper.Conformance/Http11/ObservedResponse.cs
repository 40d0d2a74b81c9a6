namespace Hyper.Conformance.Http11;

/// <summary>One response as read off the wire by <see cref="VectorRunner"/>.</summary>
public sealed record ObservedResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>What the echo application reported, or null when this response is not an echo.</summary>
    public EchoedRequest? Echo => Status == 200 ? EchoApplication.Parse(Body, Header(EchoApplication.HeaderNamesField)) : null;

    public override string ToString() => Echo is { } echo ? $"200 echo {echo}" : $"{Status} ({Body.Length} body bytes)";
}
