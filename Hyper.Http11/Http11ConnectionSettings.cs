using Hyper.Core.Configuration;

namespace Hyper.Http11;

/// <summary>The options one HTTP/1.1 connection runs under, taken from <see cref="HyperOptions"/>.</summary>
public sealed record Http11ConnectionSettings
{
    public required Http11Limits Limits { get; init; }

    /// <summary>How long an idle connection waits for the first byte of the next request.</summary>
    public required TimeSpan KeepAliveTimeout { get; init; }

    /// <summary>Requests served on one connection; the last one is answered with <c>connection: close</c>.</summary>
    public required int KeepAliveMaxRequests { get; init; }

    /// <summary>From the first byte of a head to its end; slower gets 408 (the slowloris guard).</summary>
    public required TimeSpan RequestHeadersTimeout { get; init; }

    /// <summary>No byte for this long while input is wanted closes the connection; null = off.</summary>
    public TimeSpan? ReadTimeout { get; init; }

    /// <summary>Bytes per second a body must average after the grace period; 0 = off.</summary>
    public double MinRequestBodyRate { get; init; }

    public TimeSpan MinRequestBodyRateGrace { get; init; }

    public static Http11ConnectionSettings From(HyperOptions o) => new()
    {
        Limits = o.Http11,
        KeepAliveTimeout = o.KeepAliveTimeout,
        KeepAliveMaxRequests = o.KeepAliveMaxRequests,
        RequestHeadersTimeout = o.RequestHeadersTimeout,
        ReadTimeout = o.ReadTimeout,
        MinRequestBodyRate = o.MinRequestBodyRate,
        MinRequestBodyRateGrace = o.MinRequestBodyRateGrace,
    };
}
