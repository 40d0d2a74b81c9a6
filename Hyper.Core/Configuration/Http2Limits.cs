namespace Hyper.Core.Configuration;

/// <summary>
/// HTTP/2 limits. Defaults follow docs/security.md (defaults, rows H2-01…H2-16) (Kestrel's
/// values where integrators expect parity, nghttp2's rate limits where a flood is at stake). Hypercorn's own key
/// names are kept where Hypercorn has the option.
/// </summary>
public sealed record Http2Limits
{
    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS, and the most request handlers running at once on a connection (H2-11).</summary>
    [OptionKey("h2_max_concurrent_streams", Help = "HTTP/2: most concurrent streams (and running handlers) per connection")]
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE advertised (32 octets per field counted); twice this decoded is a connection error (H2-09).</summary>
    [OptionKey("h2_max_header_list_size", Help = "HTTP/2: advertised header list size in bytes (2x decoded closes the connection)")]
    public int MaxHeaderListSize { get; init; } = 32 * 1024;

    /// <summary>SETTINGS_MAX_FRAME_SIZE advertised: the largest frame payload the client may send.</summary>
    [OptionKey("h2_max_inbound_frame_size", Help = "HTTP/2: largest frame payload accepted (16384..16777215)")]
    public int MaxInboundFrameSize { get; init; } = 16 * 1024;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE advertised: the HPACK dynamic table the client may use.</summary>
    [OptionKey("h2_header_table_size", Help = "HTTP/2: HPACK dynamic table size for request headers")]
    public int HeaderTableSize { get; init; } = 4096;

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE advertised: request body bytes buffered per stream before the application reads.</summary>
    [OptionKey("h2_initial_stream_window_size", Help = "HTTP/2: per-stream receive window in bytes")]
    public int InitialStreamWindowSize { get; init; } = 768 * 1024;

    /// <summary>The connection's receive window: request body bytes buffered per connection before applications read.</summary>
    [OptionKey("h2_initial_connection_window_size", Help = "HTTP/2: per-connection receive window in bytes")]
    public int InitialConnectionWindowSize { get; init; } = 1024 * 1024;

    /// <summary>Response bytes queued per stream behind the peer's flow-control window before <c>send</c> waits (H2-01, H2-07).</summary>
    [OptionKey("h2_max_stream_response_buffer", Help = "HTTP/2: response bytes buffered per stream before send() waits")]
    public int MaxStreamResponseBuffer { get; init; } = 64 * 1024;

    /// <summary>CONTINUATION frames allowed per header block (H2-12; nghttp2's value).</summary>
    [OptionKey("h2_max_continuation_frames", Help = "HTTP/2: most CONTINUATION frames per header block")]
    public int MaxContinuationFrames { get; init; } = 8;

    /// <summary>Streams tracked at once: open ones plus reset ones whose handler still runs (H2-11; Kestrel 2 x streams).</summary>
    [OptionKey("h2_max_tracked_streams", Help = "HTTP/2: open plus reset-but-running streams tracked per connection")]
    public int MaxTrackedStreams { get; init; } = 200;

    /// <summary>SETTINGS entries allowed in one frame (H2-05; nghttp2's value).</summary>
    [OptionKey("h2_max_settings_entries", Help = "HTTP/2: most parameters in one SETTINGS frame")]
    public int MaxSettingsEntries { get; init; } = 32;

    /// <summary>Burst of the glitch bucket: PRIORITY frames, empty frames, frames on closed streams, stream errors (H2-03, H2-08, H2-13).</summary>
    [OptionKey("h2_glitch_burst", Help = "HTTP/2: burst of suspicious frames before GOAWAY(ENHANCE_YOUR_CALM)")]
    public int GlitchBurst { get; init; } = 1000;

    /// <summary>Refill rate of the glitch bucket per second.</summary>
    [OptionKey("h2_glitch_rate", Help = "HTTP/2: suspicious frames per second allowed after the burst")]
    public int GlitchRate { get; init; } = 33;

    /// <summary>Burst of client RST_STREAM frames (H2-11; nghttp2 1000 / 33 per s).</summary>
    [OptionKey("h2_reset_burst", Help = "HTTP/2: client RST_STREAM burst before GOAWAY(ENHANCE_YOUR_CALM)")]
    public int ResetBurst { get; init; } = 1000;

    /// <summary>Refill rate of the client RST_STREAM bucket per second.</summary>
    [OptionKey("h2_reset_rate", Help = "HTTP/2: client RST_STREAM frames per second allowed after the burst")]
    public int ResetRate { get; init; } = 33;

    /// <summary>Burst of frames that demand a reply (PING, SETTINGS): Kestrel's 800 queued control frames (H2-02, H2-05).</summary>
    [OptionKey("h2_control_burst", Help = "HTTP/2: PING and SETTINGS frames in a burst before GOAWAY(ENHANCE_YOUR_CALM)")]
    public int ControlBurst { get; init; } = 800;

    /// <summary>Refill rate of the control-frame bucket per second.</summary>
    [OptionKey("h2_control_rate", Help = "HTTP/2: PING and SETTINGS frames per second allowed after the burst")]
    public int ControlRate { get; init; } = 100;

    /// <summary>Streams refused because handlers are all busy allowed per 5 s before GOAWAY(ENHANCE_YOUR_CALM) (H2-11, Kestrel).</summary>
    [OptionKey("h2_max_refused_streams", Help = "HTTP/2: refused streams per 5 s before GOAWAY(ENHANCE_YOUR_CALM)")]
    public int MaxRefusedStreams { get; init; } = 100;

    /// <summary>Accept <c>Upgrade: h2c</c> on cleartext binds (H2-16: turn off behind proxies that tunnel upgrades).</summary>
    [OptionKey("h2c_upgrade", Help = "Accept HTTP/1.1 'Upgrade: h2c' on cleartext binds")]
    public bool AllowH2cUpgrade { get; init; } = true;

    internal void Validate(Action<string, long> positive)
    {
        positive("h2_max_concurrent_streams", MaxConcurrentStreams);
        positive("h2_max_header_list_size", MaxHeaderListSize);
        positive("h2_max_stream_response_buffer", MaxStreamResponseBuffer);
        positive("h2_max_settings_entries", MaxSettingsEntries);
        positive("h2_glitch_burst", GlitchBurst);
        positive("h2_reset_burst", ResetBurst);
        positive("h2_control_burst", ControlBurst);
        positive("h2_max_refused_streams", MaxRefusedStreams);
        if (MaxInboundFrameSize is < 16_384 or > 16_777_215)
            throw new OptionsValidationException("h2_max_inbound_frame_size", "must be between 16384 and 16777215 (RFC 9113 §6.5.2)");
        if (InitialStreamWindowSize is < 1)
            throw new OptionsValidationException("h2_initial_stream_window_size", "must be between 1 and 2147483647");
        if (InitialConnectionWindowSize < 65_535)
            throw new OptionsValidationException("h2_initial_connection_window_size", "must be at least 65535 (RFC 9113 §6.9.2)");
        if (HeaderTableSize < 0) throw new OptionsValidationException("h2_header_table_size", "must be 0 or more");
        if (MaxContinuationFrames < 0) throw new OptionsValidationException("h2_max_continuation_frames", "must be 0 or more");
        if (MaxTrackedStreams < MaxConcurrentStreams)
            throw new OptionsValidationException("h2_max_tracked_streams", "must be at least h2_max_concurrent_streams");
        if (GlitchRate < 0 || ResetRate < 0 || ControlRate < 0)
            throw new OptionsValidationException("h2_glitch_rate", "rates must be 0 or more");
    }
}
