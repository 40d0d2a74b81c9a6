namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// An hpack-test-case story: cases that share one compression context, as one connection's header blocks would.
/// <paramref name="Name"/> is the path inside the corpus, e.g. <c>nghttp2/story_00.json</c>; the folder names the
/// encoder that produced the wire, or is <c>raw-data</c> for plain header lists.
/// </summary>
public sealed record HpackStory(string Name, IReadOnlyList<HpackStoryCase> Cases)
{
    /// <summary>The folder that holds raw header lists rather than one encoder's output.</summary>
    public const string RawDataFolder = "raw-data";

    public string Implementation => Name[..Name.IndexOf('/', StringComparison.Ordinal)];

    public bool IsRawData => Implementation == RawDataFolder;

    public override string ToString() => Name;
}
