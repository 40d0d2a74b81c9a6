using System.Globalization;
using System.Text;

namespace Hyper.Core.Diagnostics;

/// <summary>
/// Turns queued samples into StatsD lines and packs the lines into datagrams. Names follow Hypercorn's StatsD logger
/// where it has one (<c>hypercorn.requests</c>, <c>hypercorn.request.status.N</c>, <c>hypercorn.request.duration</c>
/// in milliseconds, <c>hypercorn.log.*</c>); Hyper's other instruments use <c>hyper.*</c> names (docs/metrics.md).
/// Counters are summed over a batch (one <c>name:N|c</c> line instead of N lines), gauges carry the running total,
/// timings stay one line each. Used by the exporter's one sending task only.
/// </summary>
internal sealed class StatsdBatch
{
    /// <summary>Largest datagram: fits a 1500-byte Ethernet MTU after IP and UDP headers with room to spare (the StatsD advice).</summary>
    public const int MaxDatagramBytes = 1432;

    private readonly string _prefix;
    private readonly string _tagSuffix;
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly List<double> _durations = [];
    private readonly Dictionary<int, string> _statusNames = new();
    private long _activeRequests;
    private long _activeConnections;
    // True at first: the first datagram reports both gauges at 0.
    private bool _activeRequestsChanged = true;
    private bool _activeConnectionsChanged = true;

    /// <param name="prefix">The <c>statsd_prefix</c>; a '.' is added unless it ends with one (Hypercorn's rule).</param>
    /// <param name="dogstatsdTags">The <c>dogstatsd_tags</c>, appended to every line as <c>|#tags</c> when not empty.</param>
    public StatsdBatch(string prefix, string dogstatsdTags)
    {
        _prefix = prefix.Length > 0 && !prefix.EndsWith('.') ? prefix + "." : prefix;
        _tagSuffix = dogstatsdTags.Length > 0 ? "|#" + dogstatsdTags : "";
    }

    public bool IsEmpty => _counters.Count == 0 && _durations.Count == 0 && !_activeRequestsChanged && !_activeConnectionsChanged;

    public void Add(in StatsdSample sample)
    {
        switch (sample.Kind)
        {
            case StatsdSampleKind.Request:
                Count("hypercorn.requests", 1);
                if (sample.Status > 0) Count(StatusName(sample.Status), 1);
                break;
            case StatsdSampleKind.Duration:
                _durations.Add(sample.Value);
                break;
            case StatsdSampleKind.ActiveRequests:
                _activeRequests += (long)sample.Value;
                _activeRequestsChanged = true;
                break;
            case StatsdSampleKind.ActiveConnections:
                _activeConnections += (long)sample.Value;
                _activeConnectionsChanged = true;
                break;
            case StatsdSampleKind.BytesReceived:
                Count("hyper.bytes.received", (long)sample.Value);
                break;
            case StatsdSampleKind.BytesSent:
                Count("hyper.bytes.sent", (long)sample.Value);
                break;
            case StatsdSampleKind.TlsHandshake:
                Count("hyper.tls.handshakes." + sample.Label, 1);
                break;
            case StatsdSampleKind.RejectedRequest:
                Count("hyper.requests.rejected." + sample.Label, 1);
                break;
            case StatsdSampleKind.RejectedConnection:
                Count("hyper.connections.rejected." + sample.Label, 1);
                break;
            case StatsdSampleKind.LogMessage:
                Count("hypercorn.log." + sample.Label, 1);
                break;
        }
    }

    /// <summary>Counts samples the queue had no room for, so the loss shows on the StatsD side too.</summary>
    public void AddDropped(long dropped)
    {
        if (dropped > 0) Count("hyper.statsd.dropped", dropped);
    }

    /// <summary>Formats everything added since the last call into datagrams of at most <see cref="MaxDatagramBytes"/>, lines joined by '\n'.</summary>
    public List<byte[]> TakeDatagrams()
    {
        var lines = new List<string>(_counters.Count + _durations.Count + 2);
        foreach (var (name, value) in _counters)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{name}:{value}|c|@1.0{_tagSuffix}"));
        foreach (var ms in _durations)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{_prefix}hypercorn.request.duration:{ms:0.###}|ms{_tagSuffix}"));
        if (_activeRequestsChanged) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{_prefix}hyper.requests.active:{_activeRequests}|g{_tagSuffix}"));
        if (_activeConnectionsChanged) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{_prefix}hyper.connections.active:{_activeConnections}|g{_tagSuffix}"));
        _counters.Clear();
        _durations.Clear();
        _activeRequestsChanged = _activeConnectionsChanged = false;
        return Pack(lines);
    }

    private static List<byte[]> Pack(List<string> lines)
    {
        var datagrams = new List<byte[]>();
        var current = new StringBuilder(MaxDatagramBytes);
        foreach (var line in lines)
        {
            // Names and tags are ASCII (validated options, fixed names), so characters are bytes.
            if (current.Length > 0 && current.Length + 1 + line.Length > MaxDatagramBytes)
            {
                datagrams.Add(Encoding.ASCII.GetBytes(current.ToString()));
                current.Clear();
            }
            if (current.Length > 0) current.Append('\n');
            current.Append(line);
        }
        if (current.Length > 0) datagrams.Add(Encoding.ASCII.GetBytes(current.ToString()));
        return datagrams;
    }

    private void Count(string name, long value)
    {
        _counters[name] = _counters.GetValueOrDefault(name) + value;
    }

    private string StatusName(int status)
    {
        if (!_statusNames.TryGetValue(status, out var name))
            _statusNames[status] = name = "hypercorn.request.status." + status.ToString(CultureInfo.InvariantCulture);
        return name;
    }
}
