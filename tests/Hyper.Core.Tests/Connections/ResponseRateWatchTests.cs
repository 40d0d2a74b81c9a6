using System.IO.Pipelines;
using System.Net;
using Hyper.Core.Connections;
using Hyper.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Connections;

/// <summary>
/// docs/security.md SL-03: the watch judges acknowledged bytes where the transport has them, keeps the clock while sent
/// bytes are unacknowledged after a flush, watches the drain of a closing connection, and costs no ticks when idle.
/// </summary>
public sealed class ResponseRateWatchTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CountingTransport _transport = new();
    private readonly ResponseRateWatch _watch;
    private int _cut;

    public ResponseRateWatchTests() =>
        _watch = new ResponseRateWatch(_transport, _time, 240, TimeSpan.FromSeconds(5), _ => _cut++, this);

    public void Dispose() => _watch.Dispose();

    private void Seconds(int n)
    {
        for (var i = 0; i < n; i++) _time.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void KernelTookMegabytes_ButClientAcknowledgedNothing_IsCut()
    {
        // What BytesSent alone missed: the send buffer accepts 1.6 MB while the client takes nothing.
        _transport.Acked = 0;
        _watch.FlushBlocked();
        _transport.Sent = 1_600_000;
        Seconds(5);
        _cut.Should().Be(0);

        Seconds(1);

        _cut.Should().Be(1);
        Seconds(10);
        _cut.Should().Be(1, "the client is reported once");
    }

    [Fact]
    public void FlushCompletesButBytesStayUnacknowledged_TheClockKeepsRunning()
    {
        _transport.Acked = 0;
        _watch.FlushBlocked();
        _transport.Sent = 200_000;
        Seconds(3);
        // The last flush of the response returns; the kernel still holds what the client has not taken.
        _watch.FlushEnded();
        Seconds(2);
        _cut.Should().Be(0);

        Seconds(1);

        _cut.Should().Be(1);
    }

    [Fact]
    public void EverythingAcknowledged_StopsTheTicker()
    {
        _transport.Acked = 0;
        _watch.FlushBlocked();
        _transport.Sent = 100_000;
        Seconds(1);
        _watch.FlushEnded();
        _transport.Acked = 100_000;
        Seconds(1);
        var reads = _transport.AckReads;

        Seconds(60);

        _transport.AckReads.Should().Be(reads, "an idle connection has no ticker");
        _cut.Should().Be(0);
    }

    [Fact]
    public void ReaderAboveTheRate_IsNotCut()
    {
        _transport.Acked = 0;
        _transport.Sent = 4_000_000;
        _watch.FlushBlocked();
        for (var i = 0; i < 60; i++)
        {
            _transport.Acked += 1000;
            Seconds(1);
        }

        _cut.Should().Be(0);
    }

    [Fact]
    public void ClosingWithOutputInFlight_IsWatchedUntilDisposed()
    {
        _transport.Acked = 0;
        _transport.Sent = 64 * 1024;
        _watch.Closing();
        Seconds(5);
        _cut.Should().Be(0);

        Seconds(1);

        _cut.Should().Be(1);
    }

    [Fact]
    public void WithoutAcknowledgements_BytesSentJudge_AndTheGraceIsNotRenewedPerFlush()
    {
        _transport.Acked = -1;
        _watch.FlushBlocked();
        Seconds(4);
        _watch.FlushEnded();
        Seconds(1); // paused: nothing is known to wait on the client
        _transport.Sent += 64 * 1024; // the application wrote the next chunk; the kernel buffer took it
        Seconds(5);
        _watch.FlushBlocked();
        _cut.Should().Be(0);

        Seconds(2);

        _cut.Should().Be(1, "4 s + 2 s blocked is past the one grace, with nothing sent while blocked");
    }

    [Fact]
    public void Disposed_NoMoreTicks()
    {
        _transport.Acked = 0;
        _watch.FlushBlocked();
        _watch.Dispose();

        Seconds(30);

        _cut.Should().Be(0);
    }

    private sealed class CountingTransport : ITransportConnection
    {
        public long Sent;
        public long Acked = -1;
        public int AckReads;
        public IDuplexPipe Transport => throw new NotSupportedException();
        public EndPoint? RemoteEndPoint => null;
        public EndPoint? LocalEndPoint => null;
        public long BytesSent => Sent;

        public long BytesAcknowledged
        {
            get
            {
                AckReads++;
                return Acked;
            }
        }

        public void Abort() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
