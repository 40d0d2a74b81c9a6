namespace Hyper.Http3.Frames;

/// <summary>The bounds a <see cref="Http3FrameReader"/> buffers within (security catalogue Q-11).</summary>
public sealed record Http3FrameReaderOptions
{
    /// <summary>The largest SETTINGS payload accepted; past it, H3_EXCESSIVE_LOAD. 10,000 octets by default.</summary>
    public int MaxSettingsPayload { get; init; } = 10_000;

    /// <summary>
    /// The largest HEADERS payload accepted; past it the stream fails with H3_EXCESSIVE_LOAD, before any octet of the
    /// payload is buffered. Set it to the SETTINGS_MAX_FIELD_SECTION_SIZE we advertise (an encoded section is never
    /// longer than its decoded size with a sane encoder).
    /// </summary>
    public int MaxHeadersPayload { get; init; } = 64 * 1024;
}
