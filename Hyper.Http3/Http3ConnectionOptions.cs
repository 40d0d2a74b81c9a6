namespace Hyper.Http3;

/// <summary>
/// What one <see cref="Http3Connection"/> advertises and enforces. The defaults follow the HTTP/2 limits
/// (docs/security.md H2-11, Q-10, Q-11) so a client gets the same budget over either version.
/// </summary>
public sealed record Http3ConnectionOptions
{
    /// <summary>SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114 §4.2.2): the decoded request head, name + value + 32 per line.</summary>
    public int MaxFieldSectionSize { get; init; } = 64 * 1024;

    /// <summary>Field lines per section.</summary>
    public int MaxFieldCount { get; init; } = 100;

    /// <summary>
    /// SETTINGS_QPACK_MAX_TABLE_CAPACITY (RFC 9204 §5). 0 turns the peer's dynamic table off (catalogue Q-11); browsers
    /// compress better with one, so a server may choose 4096 as aioquic does.
    /// </summary>
    public int QpackMaxTableCapacity { get; init; }

    /// <summary>SETTINGS_QPACK_BLOCKED_STREAMS (RFC 9204 §5).</summary>
    public int QpackBlockedStreams { get; init; }

    /// <summary>
    /// Request handlers that may run at once. A stream opened beyond it is refused with H3_REQUEST_REJECTED. QUIC's
    /// MAX_STREAMS alone is not enough: a stream the client resets returns its credit while its handler still runs
    /// (Kestrel CVE-2023-38178, catalogue Q-10).
    /// </summary>
    public int MaxConcurrentRequests { get; init; } = 100;

    /// <summary>Largest request body accepted; 0 for no limit. A larger declared or received body is answered 413.</summary>
    public long MaxBodySize { get; init; }

    /// <summary>
    /// Request body octets handed to the application and not yet consumed, per stream, before the connection stops
    /// taking that stream's input (QUIC flow control then holds the client back).
    /// </summary>
    public int MaxUnconsumedRequestBody { get; init; } = 256 * 1024;

    /// <summary>Requests per connection; after the last one the server sends its final GOAWAY at once.</summary>
    public int MaxRequests { get; init; } = int.MaxValue;

    /// <summary>Peer resets and STOP_SENDINGs of request streams: a bucket of this many...</summary>
    public int ResetBurst { get; init; } = 1000;

    /// <summary>...refilled at this many per second; an empty bucket closes the connection with H3_EXCESSIVE_LOAD.</summary>
    public int ResetRate { get; init; } = 33;

    /// <summary>
    /// Stream errors we answer, streams we refuse, unknown unidirectional streams and unknown frames: a bucket of this
    /// many, refilled at <see cref="GlitchRate"/> per second; an empty bucket closes the connection with H3_EXCESSIVE_LOAD.
    /// </summary>
    public int GlitchBurst { get; init; } = 1000;

    /// <summary>Refill rate of <see cref="GlitchBurst"/>, per second.</summary>
    public int GlitchRate { get; init; } = 33;

    /// <summary>The largest SETTINGS payload read from the peer (RFC 9114 §7.2.4; catalogue Q-11).</summary>
    public int MaxSettingsPayload { get; init; } = 10_000;

    /// <summary>
    /// Between the first GOAWAY of a graceful shutdown (naming the largest possible id) and the final one (naming the
    /// first stream not served): time for requests already sent to arrive (RFC 9114 §5.2 asks for at least one round trip).
    /// </summary>
    public TimeSpan GoAwayGrace { get; init; } = TimeSpan.FromSeconds(1);
}
