using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hyper.Core.Diagnostics;

/// <summary>
/// The server's <see cref="System.Diagnostics.Metrics"/> instruments, on one <see cref="Meter"/> named
/// <see cref="MeterName"/> (readable with <c>dotnet-counters monitor --counters Hyper</c>, OpenTelemetry's
/// <c>AddMeter("Hyper")</c>, or the StatsD exporter). docs/metrics.md lists every instrument and its tags.
///
/// Every recording method first asks the instrument whether anyone listens (<see cref="Instrument.Enabled"/>): with
/// no listener a request costs a field read per instrument and allocates nothing. With one, tag values are cached
/// objects (status codes boxed once, methods and versions are the protocol's interned strings), so a request still
/// allocates nothing here. Tag names follow OpenTelemetry's HTTP semantic conventions.
/// </summary>
public sealed class HyperMetrics : IDisposable
{
    public const string MeterName = "Hyper";

    public const string RequestsName = "hyper.server.requests";
    public const string RequestDurationName = "hyper.server.request.duration";
    public const string ActiveRequestsName = "hyper.server.active_requests";
    public const string ActiveConnectionsName = "hyper.server.active_connections";
    public const string BytesReceivedName = "hyper.server.bytes_received";
    public const string BytesSentName = "hyper.server.bytes_sent";
    public const string TlsHandshakesName = "hyper.server.tls_handshakes";
    public const string RejectedRequestsName = "hyper.server.rejected_requests";
    public const string RejectedConnectionsName = "hyper.server.rejected_connections";

    public const string MethodTag = "http.request.method";
    public const string StatusTag = "http.response.status_code";
    public const string ProtocolVersionTag = "network.protocol.version";
    public const string ReasonTag = "hyper.reason";
    public const string OutcomeTag = "hyper.outcome";
    public const string TlsVersionTag = "tls.protocol.version";

    /// <summary>Method tag value for a method outside RFC 9110's set (OpenTelemetry's rule): keeps the tag's cardinality bounded.</summary>
    public const string OtherMethod = "_OTHER";

    // Status codes 100..599 boxed once: a boxed int per request would be the only allocation metrics add.
    private static readonly object[] BoxedStatus = Enumerable.Range(0, 600).Select(static s => (object)s).ToArray();

    // OpenTelemetry's advised boundaries for http.server.request.duration (seconds).
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly UpDownCounter<long> _activeRequests;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _tlsHandshakes;
    private readonly Counter<long> _rejectedRequests;
    private readonly Counter<long> _rejectedConnections;

    /// <param name="meterFactory">A host's factory (ASP.NET Core and generic hosts have one); null makes a meter of its own, disposed with this object.</param>
    public HyperMetrics(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(MeterName) { Version = typeof(HyperMetrics).Assembly.GetName().Version?.ToString() };
        Meter = meterFactory?.Create(options) ?? new Meter(options);
        _ownsMeter = meterFactory is null;
        _requests = Meter.CreateCounter<long>(RequestsName, "{request}",
            "HTTP requests answered, by method, status and protocol version");
        _requestDuration = Meter.CreateHistogram<double>(RequestDurationName, "s",
            "Time from a request's head to the end of its response", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _activeRequests = Meter.CreateUpDownCounter<long>(ActiveRequestsName, "{request}",
            "HTTP requests (streams) being served, by protocol version");
        _activeConnections = Meter.CreateUpDownCounter<long>(ActiveConnectionsName, "{connection}",
            "Connections open, from accept (TLS handshake included) to close");
        _bytesReceived = Meter.CreateCounter<long>(BytesReceivedName, "By", "HTTP bytes read from clients (after TLS decryption)");
        _bytesSent = Meter.CreateCounter<long>(BytesSentName, "By", "HTTP bytes written to clients (before TLS encryption)");
        _tlsHandshakes = Meter.CreateCounter<long>(TlsHandshakesName, "{handshake}",
            "TLS handshakes finished, by outcome (success, failure) and protocol version");
        _rejectedRequests = Meter.CreateCounter<long>(RejectedRequestsName, "{request}",
            "Requests the server answered itself with an error before or instead of the application, by status and reason");
        _rejectedConnections = Meter.CreateCounter<long>(RejectedConnectionsName, "{connection}",
            "Connections closed unserved, by reason (max_connections)");
    }

    private readonly bool _ownsMeter;

    /// <summary>The instruments of a server context built without its own (unit tests that construct one directly).</summary>
    internal static HyperMetrics Fallback { get; } = new();

    /// <summary>The meter every instrument lives on (a listener can match it exactly to tell two servers apart).</summary>
    public Meter Meter { get; }

    /// <summary>True when the request duration is wanted (the stream layer reads the clock only then).</summary>
    internal bool TimesRequests => _requestDuration.Enabled;

    /// <summary>Counts a request in; returns whether it was counted, to pass to <see cref="RequestEnded"/>.</summary>
    internal bool RequestStarted(string httpVersion)
    {
        if (!_activeRequests.Enabled) return false;
        _activeRequests.Add(1, new KeyValuePair<string, object?>(ProtocolVersionTag, httpVersion));
        return true;
    }

    /// <summary>Records a finished request; <paramref name="duration"/> is null when it was not timed.</summary>
    internal void RequestEnded(bool counted, string method, string httpVersion, int? status, TimeSpan? duration)
    {
        if (counted) _activeRequests.Add(-1, new KeyValuePair<string, object?>(ProtocolVersionTag, httpVersion));
        if (!_requests.Enabled && !_requestDuration.Enabled) return;
        var tags = new TagList
        {
            { MethodTag, NormalizeMethod(method) },
            { StatusTag, Box(status ?? 0) },
            { ProtocolVersionTag, httpVersion },
        };
        _requests.Add(1, tags);
        if (duration is { } elapsed) _requestDuration.Record(elapsed.TotalSeconds, tags);
    }

    internal bool ConnectionOpened()
    {
        if (!_activeConnections.Enabled) return false;
        _activeConnections.Add(1);
        return true;
    }

    internal void ConnectionClosed(bool counted)
    {
        if (counted) _activeConnections.Add(-1);
    }

    internal void BytesReceived(long count)
    {
        if (count > 0 && _bytesReceived.Enabled) _bytesReceived.Add(count);
    }

    internal void BytesSent(long count)
    {
        if (count > 0 && _bytesSent.Enabled) _bytesSent.Add(count);
    }

    internal void TlsHandshake(bool succeeded, System.Security.Authentication.SslProtocols protocol)
    {
        if (!_tlsHandshakes.Enabled) return;
        _tlsHandshakes.Add(1,
            new KeyValuePair<string, object?>(OutcomeTag, succeeded ? "success" : "failure"),
            new KeyValuePair<string, object?>(TlsVersionTag, TlsVersion(protocol)));
    }

    /// <summary>A request the server answered itself: a protocol limit (400, 408, 413, 414, 431) or the concurrency limit (503).</summary>
    public void RequestRejected(int status)
    {
        if (!_rejectedRequests.Enabled) return;
        _rejectedRequests.Add(1,
            new KeyValuePair<string, object?>(StatusTag, Box(status)),
            new KeyValuePair<string, object?>(ReasonTag, RejectionReason(status)));
    }

    internal void ConnectionRejected(string reason)
    {
        if (_rejectedConnections.Enabled) _rejectedConnections.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
    }

    /// <summary>The <see cref="ReasonTag"/> value for a status the server answers itself.</summary>
    public static string RejectionReason(int status) => status switch
    {
        400 => "bad_request",
        408 => "request_timeout",
        413 => "content_too_large",
        414 => "uri_too_long",
        431 => "header_fields_too_large",
        503 => "concurrency_limit",
        _ => "other",
    };

    private static object Box(int status) => (uint)status < (uint)BoxedStatus.Length ? BoxedStatus[status] : status;

    // RFC 9110 §9 methods plus PATCH (RFC 5789); the protocols hand these as interned strings.
    private static string NormalizeMethod(string method) => method switch
    {
        "GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "CONNECT" or "OPTIONS" or "TRACE" or "PATCH" => method,
        _ => OtherMethod,
    };

    private static string TlsVersion(System.Security.Authentication.SslProtocols protocol) => protocol switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "1.2",
        System.Security.Authentication.SslProtocols.None => "",
        _ => "other",
    };

    public void Dispose()
    {
        if (_ownsMeter) Meter.Dispose();
    }
}
