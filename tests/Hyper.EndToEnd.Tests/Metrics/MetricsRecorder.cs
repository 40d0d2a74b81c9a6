using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hyper.Core.Diagnostics;

namespace Hyper.EndToEnd.Tests.Metrics;

/// <summary>One measurement as a <see cref="MeterListener"/> saw it.</summary>
public sealed record RecordedMeasurement(Meter Meter, string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string name) => Tags.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// An in-process <see cref="MeterListener"/> on every meter named <see cref="HyperMetrics.MeterName"/>. Tests running
/// at the same time have servers (and meters) of their own, so assertions pick one server's meter with <see cref="For"/>.
/// Start it before the server, so the server's instruments are published to it as they are created.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HyperMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(tags.Length);
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        _measurements.Enqueue(new RecordedMeasurement(instrument.Meter, instrument.Name, value, copy));
    }

    /// <summary>What one meter (one server) recorded.</summary>
    public IReadOnlyList<RecordedMeasurement> For(Meter meter) =>
        _measurements.Where(m => ReferenceEquals(m.Meter, meter)).ToList();

    /// <summary>Waits (bounded) until <paramref name="done"/> holds for the meter's measurements; returns them either way.</summary>
    public async Task<IReadOnlyList<RecordedMeasurement>> WaitForAsync(Meter meter, Func<IReadOnlyList<RecordedMeasurement>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var seen = For(meter);
            if (done(seen) || DateTime.UtcNow > deadline) return seen;
            await Task.Delay(20);
        }
    }

    public void Dispose() => _listener.Dispose();
}
