using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Diagnostics;

/// <summary>
/// Sends a server's <see cref="HyperMetrics"/> to a StatsD (or DogStatsD) server over UDP, as Hypercorn's
/// <c>--statsd-host</c> does, under Hypercorn's metric names (<see cref="StatsdBatch"/>).
///
/// A request never waits for it: a <see cref="MeterListener"/> callback, on the request's own thread, only puts a
/// struct in a bounded queue; when the queue is full the sample is dropped and counted (<see cref="Dropped"/>, and
/// <c>hyper.statsd.dropped</c> on the wire). One task takes what has queued, sums it into a batch and sends it in
/// datagrams of at most 1432 bytes; under load a batch holds many samples, so the datagram rate stays low.
/// A failed send (no resolver answer, nobody listening) is logged once at debug level and the batch is dropped:
/// metrics are best effort, serving is not.
/// </summary>
public sealed class StatsdExporter : IAsyncDisposable
{
    /// <summary>Samples that may wait for the sending task; about 200 KiB.</summary>
    public const int DefaultQueueCapacity = 8192;

    private readonly HyperMetrics _metrics;
    private readonly StatsdTarget _target;
    private readonly ILogger _logger;
    private readonly Channel<StatsdSample> _queue;
    private readonly StatsdBatch _batch;
    private readonly MeterListener _listener = new();
    private Task? _sending;
    private long _dropped;
    private long _droppedReported;
    private bool _sendFailureLogged;

    public StatsdExporter(HyperMetrics metrics, StatsdTarget target, string prefix, string dogstatsdTags, ILogger logger,
        int queueCapacity = DefaultQueueCapacity)
        : this(metrics, target, prefix, dogstatsdTags, logger, queueCapacity, startSending: true)
    {
    }

    /// <param name="startSending">False leaves the queue undrained until <see cref="StartSending"/> (a test fills it).</param>
    internal StatsdExporter(HyperMetrics metrics, StatsdTarget target, string prefix, string dogstatsdTags, ILogger logger,
        int queueCapacity, bool startSending)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueCapacity);
        _metrics = metrics;
        _target = target;
        _logger = logger;
        _batch = new StatsdBatch(prefix, dogstatsdTags);
        _queue = Channel.CreateBounded<StatsdSample>(new BoundedChannelOptions(queueCapacity)
        {
            // TryWrite answers false when full (the sample is dropped and counted); nothing ever waits to write.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.Start();
        if (startSending) StartSending();
    }

    internal void StartSending() => _sending ??= Task.Run(SendOrLogAsync);

    // The exporter's task is awaited only at shutdown: a bug in batching or formatting is logged when it happens, and
    // ends the metrics, not the shutdown that awaits the task.
    private async Task SendOrLogAsync()
    {
        try
        {
            await SendLoopAsync();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The StatsD exporter failed; no more metrics are sent to {Host}:{Port}", _target.Host, _target.Port);
        }
    }

    /// <summary>Samples dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts an error-log message as Hypercorn does (<c>hypercorn.log.critical|error|warning|exception</c>).</summary>
    public void CountLogMessage(LogLevel level, bool withException)
    {
        var label = level switch
        {
            LogLevel.Critical => "critical",
            LogLevel.Error => withException ? "exception" : "error",
            LogLevel.Warning => "warning",
            _ => null,
        };
        if (label is not null) Enqueue(new StatsdSample(StatsdSampleKind.LogMessage, 1, Label: label));
    }

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument.Name)
        {
            case HyperMetrics.RequestsName:
                Enqueue(new StatsdSample(StatsdSampleKind.Request, value, Status: Find(tags, HyperMetrics.StatusTag) is int status ? status : 0));
                break;
            case HyperMetrics.RequestDurationName:
                // Hypercorn's hypercorn.request.duration is in milliseconds.
                Enqueue(new StatsdSample(StatsdSampleKind.Duration, value * 1000));
                break;
            case HyperMetrics.ActiveRequestsName:
                Enqueue(new StatsdSample(StatsdSampleKind.ActiveRequests, value));
                break;
            case HyperMetrics.ActiveConnectionsName:
                Enqueue(new StatsdSample(StatsdSampleKind.ActiveConnections, value));
                break;
            case HyperMetrics.BytesReceivedName:
                Enqueue(new StatsdSample(StatsdSampleKind.BytesReceived, value));
                break;
            case HyperMetrics.BytesSentName:
                Enqueue(new StatsdSample(StatsdSampleKind.BytesSent, value));
                break;
            case HyperMetrics.TlsHandshakesName:
                Enqueue(new StatsdSample(StatsdSampleKind.TlsHandshake, value, Label: Find(tags, HyperMetrics.OutcomeTag) as string));
                break;
            case HyperMetrics.RejectedRequestsName:
                Enqueue(new StatsdSample(StatsdSampleKind.RejectedRequest, value, Label: Find(tags, HyperMetrics.ReasonTag) as string));
                break;
            case HyperMetrics.RejectedConnectionsName:
                Enqueue(new StatsdSample(StatsdSampleKind.RejectedConnection, value, Label: Find(tags, HyperMetrics.ReasonTag) as string));
                break;
        }
    }

    private static object? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name) return tag.Value;
        }
        return null;
    }

    private void Enqueue(in StatsdSample sample)
    {
        if (!_queue.Writer.TryWrite(sample)) Interlocked.Increment(ref _dropped);
    }

    private async Task SendLoopAsync()
    {
        using var socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        EndPoint? endPoint = null;
        var reader = _queue.Reader;
        // The first batch goes out at once: the gauges start at 0, so every process shows up from its start.
        var first = true;
        while (first || await reader.WaitToReadAsync())
        {
            first = false;
            while (reader.TryRead(out var sample)) _batch.Add(sample);
            var dropped = Dropped;
            _batch.AddDropped(dropped - _droppedReported);
            _droppedReported = dropped;
            var datagrams = _batch.TakeDatagrams();
            endPoint ??= await ResolveAsync();
            if (endPoint is null) continue;
            foreach (var datagram in datagrams)
            {
                try
                {
                    await socket.SendToAsync(datagram, SocketFlags.None, endPoint);
                }
                catch (SocketException ex)
                {
                    // Nobody listening (an ICMP port unreachable reported on a later send), a full socket buffer: drop it.
                    LogSendFailureOnce(ex);
                }
            }
        }
    }

    private async Task<EndPoint?> ResolveAsync()
    {
        try
        {
            if (IPAddress.TryParse(_target.Host, out var address)) return new IPEndPoint(address, _target.Port);
            var addresses = await Dns.GetHostAddressesAsync(_target.Host);
            return addresses.Length == 0 ? null : new IPEndPoint(addresses[0], _target.Port);
        }
        catch (SocketException ex)
        {
            LogSendFailureOnce(ex);
            return null;
        }
    }

    private void LogSendFailureOnce(Exception ex)
    {
        if (_sendFailureLogged) return;
        _sendFailureLogged = true;
        _logger.LogDebug(ex, "Could not send StatsD metrics to {Host}:{Port}; dropping them", _target.Host, _target.Port);
    }

    /// <summary>Stops listening, sends what has queued (waiting at most 2 s), and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _queue.Writer.TryComplete();
        if (_sending is null) return;
        try
        {
            await _sending.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            _logger.LogDebug("StatsD exporter did not finish sending within 2 s");
        }
    }
}
