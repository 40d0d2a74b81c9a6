namespace Hyper.Core.Configuration;

/// <summary>
/// HTTP/1.1 limits. Defaults follow docs/security.md (defaults) (Kestrel's values where integrators
/// expect parity, the strictest anchor where smuggling or DoS is at stake).
/// </summary>
public sealed record Http11Limits
{
    /// <summary>Longest request line; longer gets 414. Kestrel and nginx: 8 KiB.</summary>
    [OptionKey("h11_max_request_line_size", Help = "Longest request line in bytes (longer: 414)")]
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>Largest header section (all field lines); larger gets 431. Kestrel: 32 KiB.</summary>
    [OptionKey("h11_max_header_size", Help = "Largest request header section in bytes (larger: 431)")]
    public int MaxHeaderSize { get; init; } = 32 * 1024;

    /// <summary>Most header fields; more gets 431. Kestrel and Gunicorn: 100.</summary>
    [OptionKey("max_header_count", Help = "Most request header fields (more: 431)")]
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Largest request body; larger gets 413. Kestrel: 30,000,000 bytes. 0 means no limit.</summary>
    [OptionKey("max_body_size", Help = "Largest request body in bytes (larger: 413); 0 = no limit")]
    public long MaxBodySize { get; init; } = 30_000_000;

    /// <summary>Longest chunk-size line (size plus extensions), RFC 9112 §7.1.1; longer gets 400.</summary>
    [OptionKey("h11_max_chunk_line_size", Help = "Longest chunk-size line incl. extensions in bytes")]
    public int MaxChunkLineSize { get; init; } = 4 * 1024;

    /// <summary>Largest trailer section of a chunked request; larger gets 431.</summary>
    [OptionKey("h11_max_trailer_size", Help = "Largest chunked trailer section in bytes")]
    public int MaxTrailerSize { get; init; } = 8 * 1024;
}
