using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http11.Tests.Support;

namespace Hyper.Http11.Tests;

/// <summary>Deadlines with explicit <c>now</c> values (TimeSpan ticks): keep-alive, request headers, body rate, read timeout.</summary>
public sealed class Http11TimerTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;
    private const long T0 = Http11Harness.Start;

    [Fact]
    public void NextDeadline_BeforeTimeIsKnown_IsDueAtOnce()
    {
        var connection = new Http11Connection(Http11Harness.DefaultSettings(), new ConnectionInfo(null, null, false));

        connection.NextDeadline.Should().Be(0);
    }

    [Fact]
    public void KeepAlive_IdleFromConnectionStart_ClosesSilentlyAtTimeout()
    {
        var h = new Http11Harness();
        h.Connection.NextDeadline.Should().Be(T0 + 5 * Second);

        h.Connection.OnTimer(T0 + 5 * Second - 1, h.Output);
        h.Connection.ShouldClose.Should().BeFalse();
        h.Connection.OnTimer(T0 + 5 * Second, h.Output);

        h.Connection.ShouldClose.Should().BeTrue();
        h.CollectEvents().Should().BeEmpty();
        h.OutputText.Should().BeEmpty();
        h.Connection.NextDeadline.Should().Be(long.MaxValue);
    }

    [Fact]
    public void KeepAlive_RestartsWhenResponseCompletes()
    {
        var h = new Http11Harness();
        h.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        h.Connection.NextDeadline.Should().Be(long.MaxValue, "no timer runs while the application works on the request");

        h.Now = T0 + 60 * Second;
        h.Respond(1);

        h.Connection.NextDeadline.Should().Be(T0 + 65 * Second);
    }

    [Fact]
    public void RequestHeadersTimeout_PartialHead_Rejected408AndClosedAfterAnswer()
    {
        var h = new Http11Harness();
        h.Now = T0 + 1 * Second;
        h.Feed("GET / HTTP/1.1\r\nHo");
        h.Connection.NextDeadline.Should().Be(T0 + 31 * Second, "the keep-alive timer gives way to the header timer at the first byte");

        h.Connection.OnTimer(T0 + 31 * Second, h.Output);
        h.CollectEvents();

        var rejected = h.Single<RequestRejected>();
        rejected.StatusCode.Should().Be(408);
        h.Connection.WantsInput.Should().BeFalse();
        h.RespondToRejection(rejected);
        h.OutputText.Should().Be("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void MinBodyRate_TooSlowAfterGrace_Rejected408()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + new string('a', 100));
        h.Connection.NextDeadline.Should().Be(T0 + 5 * Second, "100 bytes cover less than the 5 s grace at 240 B/s");

        h.Connection.OnTimer(T0 + 5 * Second, h.Output);

        h.CollectEvents().OfType<RequestRejected>().Should().ContainSingle().Which.StatusCode.Should().Be(408);
        h.Connection.WantsInput.Should().BeFalse();
    }

    [Fact]
    public void MinBodyRate_FastEnough_DeadlineMovesWithBytes()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + new string('a', 2400));

        // 2400 bytes at 240 B/s cover 10 s.
        h.Connection.NextDeadline.Should().Be(T0 + 10 * Second + 1);
        h.Connection.OnTimer(T0 + 10 * Second, h.Output);
        h.CollectEvents().OfType<RequestRejected>().Should().BeEmpty();
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Fact]
    public void MinBodyRate_ResponseAlreadyStarted_ClosesWithoutRejection()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n");
        h.Connection.StartResponse(1, 200, [], endStream: false, h.Now, h.Output);

        h.Connection.OnTimer(T0 + 5 * Second, h.Output);

        h.CollectEvents().OfType<RequestRejected>().Should().BeEmpty();
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void MinBodyRate_WaitingFor100Continue_NotEnforced()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
        h.Connection.NextDeadline.Should().Be(long.MaxValue);

        h.Connection.RequestBodyWanted(1, T0 + 20 * Second, h.Output);

        h.Connection.NextDeadline.Should().Be(T0 + 25 * Second, "the rate clock starts with the 100 Continue");
    }

    [Fact]
    public void MinBodyRate_BodyCompleteWaitingForApp_NoDeadline()
    {
        var h = new Http11Harness();
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");

        h.Connection.NextDeadline.Should().Be(long.MaxValue);
        h.Connection.OnTimer(T0 + 3600 * Second, h.Output);
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Fact]
    public void MinBodyRate_Zero_Disabled()
    {
        var settings = Http11Harness.DefaultSettings() with { MinRequestBodyRate = 0 };
        var h = new Http11Harness(settings);
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n");

        h.Connection.NextDeadline.Should().Be(long.MaxValue);
    }

    [Fact]
    public void ReadTimeout_NoBytesWhileReadingBody_Closes()
    {
        var settings = Http11Harness.DefaultSettings() with { ReadTimeout = TimeSpan.FromSeconds(2), MinRequestBodyRate = 0 };
        var h = new Http11Harness(settings);
        h.Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab");
        h.Connection.NextDeadline.Should().Be(T0 + 2 * Second);

        h.Now = T0 + 1 * Second;
        h.Feed("cd");
        h.Connection.NextDeadline.Should().Be(T0 + 3 * Second, "new bytes restart the read timeout");
        h.Now = T0 + 2 * Second;
        h.Pump();
        h.Connection.NextDeadline.Should().Be(T0 + 3 * Second, "a re-feed of old bytes is not new input");

        h.Connection.OnTimer(T0 + 3 * Second, h.Output);

        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Settings_FromOptions_CopiesEveryValue()
    {
        var options = new HyperOptions
        {
            KeepAliveTimeout = TimeSpan.FromSeconds(7),
            KeepAliveMaxRequests = 9,
            RequestHeadersTimeout = TimeSpan.FromSeconds(11),
            ReadTimeout = TimeSpan.FromSeconds(13),
            MinRequestBodyRate = 17,
            MinRequestBodyRateGrace = TimeSpan.FromSeconds(19),
            Http11 = new Http11Limits { MaxHeaderCount = 23 },
        };

        var settings = Http11ConnectionSettings.From(options);

        settings.Should().Be(new Http11ConnectionSettings
        {
            Limits = options.Http11,
            KeepAliveTimeout = TimeSpan.FromSeconds(7),
            KeepAliveMaxRequests = 9,
            RequestHeadersTimeout = TimeSpan.FromSeconds(11),
            ReadTimeout = TimeSpan.FromSeconds(13),
            MinRequestBodyRate = 17,
            MinRequestBodyRateGrace = TimeSpan.FromSeconds(19),
        });
    }
}
