using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Hyper.Core.Connections;
using Hyper.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Connections;

/// <summary>
/// docs/security.md SL-03, H2-07: a flush blocked by a client that does not read is cancelled once, after the grace
/// period, the bytes sent fall behind the minimum rate; time the server itself did not run is not counted.
/// </summary>
public sealed class SlowFlushWatchTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Pipe _pipe = new();
    private readonly CountingTransport _transport = new();

    private SlowFlushWatch Watch() => new(_pipe.Writer, _transport, _time, minRate: 240, grace: TimeSpan.FromSeconds(5));

    [Fact]
    public async Task OnTimeChecks_NothingSentPastTheGrace_CancelsTheFlush()
    {
        var watch = Watch();
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            watch.Check();
        }
        (await NextFlushCancelled()).Should().BeFalse("the grace period is not over yet");

        _time.Advance(TimeSpan.FromSeconds(1));
        watch.Check();

        (await NextFlushCancelled()).Should().BeTrue();
    }

    [Fact]
    public async Task OnTimeChecks_ClientKeepsUpWithTheRate_NotCancelled()
    {
        var watch = Watch();
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _transport.Sent += 300;
            watch.Check();
        }

        (await NextFlushCancelled()).Should().BeFalse();
    }

    [Fact]
    public async Task LateCheck_AfterTheServerWasStarved_CountsOnlyOnePeriod()
    {
        var watch = Watch();
        _time.Advance(TimeSpan.FromSeconds(1));
        watch.Check();

        // The timer could not run for 20 s: the client is not blamed for it.
        _time.Advance(TimeSpan.FromSeconds(20));
        watch.Check();

        (await NextFlushCancelled()).Should().BeFalse();
    }

    [Fact]
    public async Task EveryCheckLate_StillCancelsOnceEnoughChecksHaveCounted()
    {
        var watch = Watch();
        var checks = 0;
        while (!await NextFlushCancelled() && checks < 20)
        {
            _time.Advance(TimeSpan.FromSeconds(4));
            watch.Check();
            checks++;
        }

        checks.Should().Be(6, "each late check counts one second: past the 5 s grace on the sixth");
    }

    /// <summary>Whether a flush started now comes back cancelled (CancelPendingFlush with no flush pending marks the next one).</summary>
    private async Task<bool> NextFlushCancelled()
    {
        _pipe.Writer.Write(new byte[] { 1 });
        var result = await _pipe.Writer.FlushAsync();
        var read = await _pipe.Reader.ReadAsync();
        _pipe.Reader.AdvanceTo(read.Buffer.End);
        return result.IsCanceled;
    }

    private sealed class CountingTransport : ITransportConnection
    {
        public long Sent;
        public IDuplexPipe Transport => throw new NotSupportedException();
        public EndPoint? RemoteEndPoint => null;
        public EndPoint? LocalEndPoint => null;
        public long BytesSent => Sent;
        public void Abort() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
