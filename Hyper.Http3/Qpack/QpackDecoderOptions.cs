namespace Hyper.Http3.Qpack;

/// <summary>The limits a <see cref="QpackDecoder"/> enforces; the first three are what we advertise in SETTINGS.</summary>
public sealed record QpackDecoderOptions
{
    /// <summary>
    /// SETTINGS_QPACK_MAX_TABLE_CAPACITY (RFC 9204 §5). 0, the default, turns the dynamic table off: the peer may then
    /// only use the static table and literals (security catalogue Q-11).
    /// </summary>
    public long MaxTableCapacity { get; init; }

    /// <summary>SETTINGS_QPACK_BLOCKED_STREAMS (RFC 9204 §5): how many streams may wait for inserts at once.</summary>
    public int MaxBlockedStreams { get; init; }

    /// <summary>
    /// SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114 §4.2.2): the decoded section, counted as name + value + 32 per line.
    /// It also bounds the encoded section, which a sane encoder never makes longer than the decoded one; so a blocked
    /// section costs at most this much memory while it waits.
    /// </summary>
    public int MaxFieldSectionSize { get; init; } = 64 * 1024;

    /// <summary>Field lines per section (100, as for HTTP/2: Kestrel's and Gunicorn's default).</summary>
    public int MaxFieldCount { get; init; } = 100;
}
