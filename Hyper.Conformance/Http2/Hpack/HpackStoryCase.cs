namespace Hyper.Conformance.Http2.Hpack;

/// <summary>
/// One case of an hpack-test-case story: a header block and the list it decodes to. <paramref name="HeaderTableSize"/>
/// is the SETTINGS_HEADER_TABLE_SIZE acknowledged just before the case, or null for "unchanged" (4096 at the start);
/// <paramref name="Wire"/> is null in <c>raw-data</c> stories, which are inputs for encoders.
/// </summary>
public sealed record HpackStoryCase(int SequenceNumber, int? HeaderTableSize, byte[]? Wire, IReadOnlyList<HeaderPair> Headers);
