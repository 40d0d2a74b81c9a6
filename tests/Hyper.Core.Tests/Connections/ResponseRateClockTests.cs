using Hyper.Core.Connections;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Connections;

/// <summary>
/// docs/security.md SL-03: one rate clock per connection, grace once per busy period, across blocked flushes; only time
/// while output waits for the client counts; a check that comes late counts one period.
/// </summary>
public sealed class ResponseRateClockTests
{
    private const double Rate = 240;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly ResponseRateClock _clock;

    public ResponseRateClockTests() => _clock = new ResponseRateClock(_time, Rate, Grace);

    private bool Tick(long taken, ClientOwes owes = ClientOwes.Output)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return _clock.Check(taken, owes);
    }

    [Fact]
    public void NothingTaken_IsBehindOnlyOnceTheGraceIsOver()
    {
        _clock.Resume(0);
        for (var i = 0; i < 5; i++) Tick(0).Should().BeFalse("the grace period is not over yet");

        Tick(0).Should().BeTrue();
    }

    [Fact]
    public void ClientAboveTheRate_IsNeverBehind()
    {
        _clock.Resume(0);
        for (var i = 1; i <= 60; i++) Tick(i * 300).Should().BeFalse();
    }

    [Fact]
    public void BurstyClientAboveTheRateOnAverage_IsNotBehind()
    {
        // TCP acknowledges in window-sized steps: 16 KiB every 4 s is about 4 KB/s, each step within a grace of the last.
        _clock.Resume(0);
        long taken = 0;
        for (var i = 1; i <= 120; i++)
        {
            if (i % 4 == 1) taken += 16 * 1024;
            Tick(taken).Should().BeFalse($"second {i}");
        }
    }

    [Fact]
    public void ReceiveBufferFilledAtOnce_BuysOneGraceOfStalling_NotMore()
    {
        // A tiny-window reader: its 4 KiB buffer is acknowledged at once, then nothing. Uncapped, 4 KiB would pay for
        // 17 s at 240 B/s; the bank holds rate × grace = 1200 bytes, 5 s.
        _clock.Resume(0);
        var seconds = 1;
        var behind = Tick(4096);
        while (!behind && seconds < 60)
        {
            seconds++;
            behind = Tick(4096);
        }

        seconds.Should().Be(11, "5 s of grace, 5 s paid from the bank, behind in the 11th");
    }

    [Fact]
    public void ReaderThatOnceReadALot_CannotStallOnIt()
    {
        _clock.Resume(0);
        for (var i = 1; i <= 10; i++) Tick(i * 1_000_000L).Should().BeFalse();
        var stalled = 0;
        while (!Tick(10_000_000L) && stalled < 60) stalled++;

        stalled.Should().Be(5, "the bank is one grace period's worth, however much was read before");
    }

    [Fact]
    public void ClientBelowTheRate_FallsBehindAfterTheGrace()
    {
        _clock.Resume(0);
        var seconds = 0;
        var taken = 0L;
        while (seconds < 120)
        {
            seconds++;
            taken += 100; // 100 B/s against a 240 B/s minimum
            if (Tick(taken)) break;
        }

        // Behind once 100 t < 240 (t - 5): t > 8.6 s.
        seconds.Should().Be(9);
    }

    [Fact]
    public void FlushesThatBlockAgain_ShareOneGrace()
    {
        // The hole of a clock per flush: a reader that unblocks a flush now and then got a fresh grace each time.
        _clock.Resume(0);
        for (var i = 0; i < 4; i++) Tick(0).Should().BeFalse();
        // The flush completes (the kernel took a little), the application writes again, the next flush blocks.
        _clock.Resume(10);
        Tick(10).Should().BeFalse("4 s + 1 s is still within the grace");
        _clock.Resume(20);

        Tick(20).Should().BeTrue("the grace was given once, and 20 bytes in 6 s is below the rate");
    }

    [Fact]
    public void TimeWithNothingOwed_IsNotCounted_AndEndsTheBusyPeriod()
    {
        _clock.Resume(0);
        for (var i = 0; i < 4; i++) Tick(0).Should().BeFalse();
        // Everything acknowledged: the busy period ends (a long poll: the application writes nothing for a minute).
        Tick(500, ClientOwes.Nothing).Should().BeFalse();
        _clock.IsCounting.Should().BeFalse();
        for (var i = 0; i < 60; i++) Tick(500, ClientOwes.Nothing).Should().BeFalse();

        // The next response waits on the client: a new busy period with its own grace.
        _clock.Resume(500);
        for (var i = 0; i < 5; i++) Tick(500).Should().BeFalse();
        Tick(500).Should().BeTrue();
    }

    [Fact]
    public void UnknownPause_KeepsTheBusyPeriod_AndIgnoresBytesMovedMeanwhile()
    {
        // A transport that cannot tell acknowledgements: between blocked flushes the clock pauses, it does not reset.
        _clock.Resume(0);
        for (var i = 0; i < 5; i++) Tick(0).Should().BeFalse();
        Tick(0, ClientOwes.Unknown).Should().BeFalse();
        _clock.IsCounting.Should().BeFalse();
        _time.Advance(TimeSpan.FromMinutes(1));

        // 64 KiB went into the kernel buffer while nothing waited: no evidence that the client read it.
        _clock.Resume(64 * 1024);
        Tick(64 * 1024).Should().BeTrue("the grace is spent and nothing was taken while waiting");
    }

    [Fact]
    public void LateCheck_AfterTheServerWasStarved_CountsOnlyOnePeriod()
    {
        _clock.Resume(0);
        Tick(0);
        // The timer could not run for 20 s: the client is not blamed for it.
        _time.Advance(TimeSpan.FromSeconds(20));
        _clock.Check(0, ClientOwes.Output).Should().BeFalse();
        _clock.Counted.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void EveryCheckLate_StillFallsBehindOnceEnoughChecksHaveCounted()
    {
        _clock.Resume(0);
        var checks = 0;
        var behind = false;
        while (!behind && checks < 20)
        {
            _time.Advance(TimeSpan.FromSeconds(4));
            behind = _clock.Check(0, ClientOwes.Output);
            checks++;
        }

        checks.Should().Be(6, "each late check counts one second: past the 5 s grace on the sixth");
    }

    [Fact]
    public void NotStarted_NeverBehind()
    {
        for (var i = 0; i < 30; i++) Tick(0).Should().BeFalse();
    }
}
