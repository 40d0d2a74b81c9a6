using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;
using Hyper.Core.Tests.Protocols;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Hosting;

/// <summary>The first-bytes choice on a shared cleartext port, driven by the registered preface matchers.</summary>
public sealed class CleartextSnifferTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private readonly NamedFactory _http11 = new("http/1.1");
    private readonly NamedFactory _http2 = new("h2");
    private readonly NamedFactory _other = new("other");
    private readonly FakeTimeProvider _time = new();
    private readonly Pipe _pipe = new();
    private readonly ProtocolRegistry _registry;

    public CleartextSnifferTests()
    {
        _registry = new ProtocolRegistry([
            new ProtocolRegistration(_http11) { IsDefault = true },
            new ProtocolRegistration(_http2) { CleartextPreface = new FixedPreface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") },
            new ProtocolRegistration(_other) { CleartextPreface = new FixedPreface("PROXY") },
        ]);
    }

    private ValueTask<IStreamProtocolFactory?> Sniff(CancellationToken cancellationToken = default) =>
        CleartextSniffer.SniffAsync(_pipe.Reader, _registry, Idle, _time, cancellationToken);

    private async Task Send(string text) => await _pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    [Fact]
    public async Task WholePreface_ItsProtocol_BytesLeftForIt()
    {
        await Send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nrest");

        (await Sniff()).Should().BeSameAs(_http2);
        var left = await _pipe.Reader.ReadAsync();
        Encoding.ASCII.GetString(left.Buffer.ToArray()).Should().StartWith("PRI * HTTP/2.0").And.EndWith("rest");
    }

    [Fact]
    public async Task FirstByteMatchesNoPreface_DefaultAtOnce()
    {
        await Send("G");

        (await Sniff()).Should().BeSameAs(_http11);
    }

    [Fact]
    public async Task SecondMatcherMatches_ThatOne()
    {
        await Send("PROXY TCP4");

        (await Sniff()).Should().BeSameAs(_other);
    }

    [Fact]
    public async Task SharedPrefix_WaitsUntilEveryPrefaceIsRuledInOrOut()
    {
        // "PR" could start either preface: no decision yet.
        await Send("PR");
        var sniff = Sniff().AsTask();
        await Task.Delay(50);
        sniff.IsCompleted.Should().BeFalse();

        await Send("I * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        (await sniff.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeSameAs(_http2);
    }

    [Fact]
    public async Task PartialPrefaceThenEof_DefaultAnswersIt()
    {
        await Send("PRI * HTTP");
        await _pipe.Writer.CompleteAsync();

        (await Sniff()).Should().BeSameAs(_http11);
    }

    [Fact]
    public async Task EofBeforeAnyByte_NothingToServe()
    {
        await _pipe.Writer.CompleteAsync();

        (await Sniff()).Should().BeNull();
    }

    [Fact]
    public async Task SilentPastTheIdleTimeout_NothingToServe()
    {
        var sniff = Sniff().AsTask();

        _time.Advance(Idle - TimeSpan.FromMilliseconds(1));
        await Task.Delay(20);
        sniff.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await sniff.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
    }

    [Fact]
    public async Task CallerCancels_NothingToServe()
    {
        using var shutdown = new CancellationTokenSource();
        var sniff = Sniff(shutdown.Token).AsTask();

        shutdown.Cancel();

        (await sniff.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();
    }

    [Fact]
    public async Task PeerClosesAsTheIdleTimerFires_LateTimerCallback_DoesNotThrow()
    {
        // Issue #9, as it happened: the client's close ends the sniff while the idle timer's callback is already
        // queued; the callback then runs after the sniff has disposed what it used. On a thread-pool thread a throw
        // there ends the process. (A hand-made timer cancelling a disposed source failed this test.)
        var held = new HeldTimeProvider();
        var sniff = CleartextSniffer.SniffAsync(_pipe.Reader, _registry, Idle, held, CancellationToken.None);
        await _pipe.Writer.CompleteAsync();

        (await sniff).Should().BeNull();
        held.Timers.Should().NotBeEmpty("the idle timeout runs on the given clock");
        held.Invoking(t => t.FireAllLate()).Should().NotThrow();
    }

    [Fact]
    public async Task FirstBytesArriveAsTheIdleTimerFires_LateTimerCallback_DoesNotThrow()
    {
        var held = new HeldTimeProvider();
        var sniff = CleartextSniffer.SniffAsync(_pipe.Reader, _registry, Idle, held, CancellationToken.None);
        await Send("GET / HTTP/1.1\r\n");

        (await sniff).Should().BeSameAs(_http11);
        held.Invoking(t => t.FireAllLate()).Should().NotThrow();
    }

    [Fact]
    public async Task IdleDeadlinePassesAfterTheChoice_NothingFires()
    {
        // Issue #9: a timer callback that outlived the sniff cancelled a disposed source and crashed the process.
        await Send("GET / HTTP/1.1\r\n");
        (await Sniff()).Should().BeSameAs(_http11);

        var late = () => _time.Advance(Idle * 2);

        late.Should().NotThrow();
        var left = await _pipe.Reader.ReadAsync();
        left.IsCanceled.Should().BeFalse();
    }

    [Fact]
    public async Task NoIdleTimeout_WaitsForBytes()
    {
        var sniff = CleartextSniffer.SniffAsync(_pipe.Reader, _registry, TimeSpan.Zero, _time, default).AsTask();
        _time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(20);
        sniff.IsCompleted.Should().BeFalse();

        await Send("GET");

        (await sniff.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeSameAs(_http11);
    }
}
