using Hyper.Core.Configuration;

namespace Hyper.Http2;

/// <summary>What one HTTP/2 connection needs from <see cref="HyperOptions"/>, read once per server.</summary>
public sealed record Http2ConnectionSettings
{
    public Http2Limits Limits { get; init; } = new();

    /// <summary>Most header fields per block, counting every cookie crumb (H2-06, H2-10); shared with HTTP/1.1.</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Largest request body (413); 0 = no limit. Shared with HTTP/1.1.</summary>
    public long MaxBodySize { get; init; } = 30_000_000;

    /// <summary>Idle connection (no stream open) lifetime.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for the preface and for each header block (H2-12 (c)).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 and accept RFC 8441 extended CONNECT (WebSockets over HTTP/2).</summary>
    public bool EnableConnectProtocol { get; init; } = true;

    /// <summary>Requests served before the connection sends GOAWAY.</summary>
    public int MaxRequests { get; init; } = 1000;

    /// <summary>Bytes per second a response must leave at while data waits on the peer's window (H2-01, H2-10); 0 = off.</summary>
    public double MinResponseRate { get; init; } = 240;

    public TimeSpan MinResponseRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes per second a request body must arrive at while the client is free to send it (SL-02); 0 = off.</summary>
    public double MinRequestBodyRate { get; init; } = 240;

    public TimeSpan MinRequestBodyRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the graceful GOAWAY waits for a PING round trip before naming the last stream (RFC 9113 §6.8).</summary>
    public TimeSpan ShutdownPingTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public static Http2ConnectionSettings From(HyperOptions options) => new()
    {
        Limits = options.Http2,
        MaxHeaderCount = options.Http11.MaxHeaderCount,
        MaxBodySize = options.Http11.MaxBodySize,
        KeepAliveTimeout = options.KeepAliveTimeout,
        RequestHeadersTimeout = options.RequestHeadersTimeout,
        MaxRequests = options.KeepAliveMaxRequests,
        MinResponseRate = options.MinResponseRate,
        MinResponseRateGrace = options.MinResponseRateGrace,
        MinRequestBodyRate = options.MinRequestBodyRate,
        MinRequestBodyRateGrace = options.MinRequestBodyRateGrace,
    };
}
