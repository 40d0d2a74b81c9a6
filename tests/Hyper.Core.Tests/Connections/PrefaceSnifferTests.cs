using System.IO.Pipelines;
using Hyper.Core.Connections;

namespace Hyper.Core.Tests.Connections;

public sealed class PrefaceSnifferTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task PeerClosesAsTheIdleTimerFires_LateTimerCallback_DoesNotThrow()
    {
        // Issue #9: the client's close ends the sniff while the idle timer's callback is already on its way; the
        // callback then runs after the sniff has disposed what it used. It must not throw (on a thread-pool thread
        // that ends the process).
        var time = new HeldTimeProvider();
        var pipe = new Pipe();
        var sniff = PrefaceSniffer.SniffAsync(pipe.Reader, IdleTimeout, time, CancellationToken.None);
        await pipe.Writer.CompleteAsync();

        (await sniff).Should().Be(PrefaceSniffer.Result.Closed);
        time.Timers.Should().NotBeEmpty("the idle timeout runs on the given clock");
        time.Invoking(t => t.FireAllLate()).Should().NotThrow();
    }

    [Fact]
    public async Task FirstBytesArriveAsTheIdleTimerFires_LateTimerCallback_DoesNotThrow()
    {
        var time = new HeldTimeProvider();
        var pipe = new Pipe();
        var sniff = PrefaceSniffer.SniffAsync(pipe.Reader, IdleTimeout, time, CancellationToken.None);
        await pipe.Writer.WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray());

        (await sniff).Should().Be(PrefaceSniffer.Result.Http11);
        time.Invoking(t => t.FireAllLate()).Should().NotThrow();
    }

    [Fact]
    public async Task NothingArrives_IdleTimerFires_Closed()
    {
        var time = new HeldTimeProvider();
        var pipe = new Pipe();
        var sniff = PrefaceSniffer.SniffAsync(pipe.Reader, IdleTimeout, time, CancellationToken.None);

        time.FireAllLate();

        (await sniff.AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(PrefaceSniffer.Result.Closed);
    }

    [Fact]
    public async Task WholePreface_Http2_AndBytesLeftUnread()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(PrefaceSniffer.Preface.ToArray());

        (await PrefaceSniffer.SniffAsync(pipe.Reader, IdleTimeout, new HeldTimeProvider(), CancellationToken.None)).Should().Be(PrefaceSniffer.Result.Http2);
        var again = await pipe.Reader.ReadAsync();
        again.Buffer.Length.Should().Be(PrefaceSniffer.Preface.Length, "the chosen protocol reads the preface again");
    }

    [Fact]
    public async Task CallerCancels_Closed()
    {
        using var stop = new CancellationTokenSource();
        var pipe = new Pipe();
        var sniff = PrefaceSniffer.SniffAsync(pipe.Reader, IdleTimeout, new HeldTimeProvider(), stop.Token);

        await stop.CancelAsync();

        (await sniff.AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(PrefaceSniffer.Result.Closed);
    }
}
