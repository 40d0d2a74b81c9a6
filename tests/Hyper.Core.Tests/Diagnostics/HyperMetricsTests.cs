using System.Diagnostics.Metrics;
using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Diagnostics;
using Hyper.Core.Middleware;

namespace Hyper.Core.Tests.Diagnostics;

/// <summary>
/// The recording methods the stream layer and driver call per request and per read or flush: they allocate nothing,
/// with no listener (the instruments are disabled) and with one (tags are cached objects); and the concurrency limit
/// counts its 503s.
/// </summary>
public sealed class HyperMetricsTests
{
    private const int Requests = 10_000;

    [Fact]
    public void PerRequestRecording_WithoutAListener_AllocatesNothing()
    {
        using var metrics = new HyperMetrics();
        RecordRequests(metrics, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        RecordRequests(metrics, Requests);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        metrics.TimesRequests.Should().BeFalse("with nobody listening the stream layer need not read the clock");
    }

    [Fact]
    public void PerRequestRecording_WithAListener_AllocatesNothing_AndEveryCallIsSeen()
    {
        using var metrics = new HyperMetrics();
        long requests = 0, bytes = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == HyperMetrics.RequestsName) requests += value;
            if (instrument.Name == HyperMetrics.BytesSentName) bytes += value;
        });
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        listener.Start();
        RecordRequests(metrics, 100);
        requests = bytes = 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        RecordRequests(metrics, Requests);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        requests.Should().Be(Requests);
        bytes.Should().Be(Requests * 100L);
        metrics.TimesRequests.Should().BeTrue();
    }

    private static void RecordRequests(HyperMetrics metrics, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var counted = metrics.RequestStarted("1.1");
            metrics.BytesReceived(50);
            metrics.BytesSent(100);
            metrics.RequestEnded(counted, "GET", "1.1", 200, metrics.TimesRequests ? TimeSpan.FromMilliseconds(1) : null);
        }
    }

    [Fact]
    public void UnknownMethod_IsTaggedOther()
    {
        using var metrics = new HyperMetrics();
        var methods = new List<object?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == HyperMetrics.RequestsName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == HyperMetrics.MethodTag) methods.Add(tag.Value);
        });
        listener.Start();

        metrics.RequestEnded(false, "PROPFIND", "1.1", 207, null);
        metrics.RequestEnded(false, "PATCH", "2", 204, null);

        methods.Should().Equal(HyperMetrics.OtherMethod, "PATCH");
    }

    [Fact]
    public async Task ConcurrencyLimit_CountsItsRefusals()
    {
        using var metrics = new HyperMetrics();
        var rejected = new List<(long Value, object? Status, object? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == HyperMetrics.RejectedRequestsName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            object? status = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == HyperMetrics.StatusTag) status = tag.Value;
                if (tag.Key == HyperMetrics.ReasonTag) reason = tag.Value;
            }
            lock (rejected) rejected.Add((value, status, reason));
        });
        listener.Start();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var limit = new ConcurrencyLimitMiddleware(async (_, _, send) =>
        {
            await release.Task;
            await send(new HttpResponseStart(200, []));
            await send(HttpResponseBody.EmptyFinal);
        }, 1, metrics);

        var first = RequestAsync(limit);
        (await RequestAsync(limit).WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(503);
        release.SetResult();
        (await first.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(200);

        rejected.Should().Equal((1L, (object?)503, (object?)"concurrency_limit"));
    }

    private static async Task<int> RequestAsync(ConcurrencyLimitMiddleware limit)
    {
        var status = 0;
        var scope = new HttpScope
        {
            HttpVersion = "1.1",
            Method = "GET",
            Scheme = "http",
            Path = "/",
            RawPath = "/"u8.ToArray(),
            QueryString = ReadOnlyMemory<byte>.Empty,
            Headers = [],
            Client = new IPEndPoint(IPAddress.Loopback, 1),
        };
        await limit.InvokeAsync(scope, () => ValueTask.FromResult<AsgiMessage>(HttpRequest.Empty), message =>
        {
            if (message is HttpResponseStart start) status = start.Status;
            return ValueTask.CompletedTask;
        });
        return status;
    }
}
