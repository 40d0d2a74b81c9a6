namespace Hyper.Conformance.Http2.Hpack;

/// <summary>One field of an expected or decoded header list, compared by value.</summary>
public readonly record struct HeaderPair(string Name, string Value)
{
    public override string ToString() => $"{Name}: {Value}";
}
