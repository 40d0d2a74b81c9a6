namespace Hyper.Http3.Qpack;

/// <summary>
/// A field section exceeds the limits we advertised or configured (SETTINGS_MAX_FIELD_SECTION_SIZE, the field count).
/// Unlike <see cref="QpackException"/> this is not a connection error: decoding a section never changes the dynamic
/// table, so the connection can answer the request with 431 or reset the stream (RFC 9114 §4.2.2) and go on. The
/// decoder has already queued a Stream Cancellation for the stream when the section referenced the dynamic table, so
/// the peer's encoder releases the entries it pinned (RFC 9204 §4.4.2).
/// </summary>
public sealed class FieldSectionTooLargeException : Exception
{
    public FieldSectionTooLargeException(string message, long streamId) : base(message) => StreamId = streamId;

    /// <summary>The request stream whose section was refused.</summary>
    public long StreamId { get; }
}
