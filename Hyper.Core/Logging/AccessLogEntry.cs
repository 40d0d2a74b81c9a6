using Hyper.Core.Application;

namespace Hyper.Core.Logging;

/// <summary>What the access log knows about one finished request (or WebSocket session).</summary>
public sealed record AccessLogEntry(
    HttpScope Scope,
    int? Status,
    IReadOnlyList<HeaderField> ResponseHeaders,
    long ResponseBodyBytes,
    TimeSpan Duration,
    DateTimeOffset Timestamp);
