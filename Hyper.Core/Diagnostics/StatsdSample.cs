namespace Hyper.Core.Diagnostics;

/// <summary>What one measurement was, as the StatsD exporter queues it (formatted later, off the request path).</summary>
internal enum StatsdSampleKind : byte
{
    Request,
    Duration,
    ActiveRequests,
    ActiveConnections,
    BytesReceived,
    BytesSent,
    TlsHandshake,
    RejectedRequest,
    RejectedConnection,
    LogMessage,
}

/// <summary>
/// One queued measurement: a kind, its value and, where the StatsD name depends on it, a status code or a short label
/// (a reason, an outcome, a log level). A struct, so queueing it allocates nothing.
/// </summary>
internal readonly record struct StatsdSample(StatsdSampleKind Kind, double Value, int Status = 0, string? Label = null);
