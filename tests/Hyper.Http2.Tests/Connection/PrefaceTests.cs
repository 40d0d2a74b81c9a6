using System.Buffers.Binary;
using Hyper.Conformance.Http2.Client;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>RFC 9113 §3.4: the client preface, and our SETTINGS as the server preface.</summary>
public sealed class PrefaceTests
{
    [Fact]
    public void Preface_Valid_ServerSendsSettingsWithItsLimitsAndAcksTheClient()
    {
        var h = new Http2Harness();

        h.Send(Http2ClientCodec.Hello());

        var frames = h.TakeFrames();
        frames[0].Type.Should().Be(Http2FrameType.Settings);
        frames[0].Has(Http2FrameFlags.Ack).Should().BeFalse();
        var settings = ReadSettings(frames[0].Payload);
        settings[Http2SettingsParameter.MaxConcurrentStreams].Should().Be(100);
        settings[Http2SettingsParameter.InitialWindowSize].Should().Be(768 * 1024);
        settings[Http2SettingsParameter.MaxFrameSize].Should().Be(16_384);
        settings[Http2SettingsParameter.MaxHeaderListSize].Should().Be(32 * 1024);
        // The connection window is opened to its configured 1 MiB at once (§6.9.2: SETTINGS cannot do it).
        frames.Should().Contain(f => f.Type == Http2FrameType.WindowUpdate && f.StreamId == 0
            && BinaryPrimitives.ReadInt32BigEndian(f.Payload) == 1024 * 1024 - 65_535);
        frames.Should().Contain(f => f.Type == Http2FrameType.Settings && f.Has(Http2FrameFlags.Ack));
        h.Connection.ShouldClose.Should().BeFalse();
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n")]
    public void Preface_Invalid_GoAwayProtocolErrorAndClose(string preface)
    {
        var h = new Http2Harness();

        h.Send(System.Text.Encoding.ASCII.GetBytes(preface));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
        h.GoAway.LastStreamId.Should().Be(0);
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void Preface_WrongByteAfterValidPrefix_FailsAsSoonAsTheByteArrives()
    {
        var h = new Http2Harness();
        h.Send(Http2ClientCodec.Preface.AsSpan(0, 10));
        h.GoAway.Should().BeNull();

        h.Send("x"u8);

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Preface_SplitAtEveryPosition_RequestServed()
    {
        for (var cut = 1; cut < 40; cut++)
        {
            var h = new Http2Harness();
            var bytes = Http2ClientCodec.Hello().Concat(h.Client.Headers(1, Http2ClientCodec.Request("/p"))).ToArray();

            h.Send(bytes, cut, cut + 7);

            h.TakeEvents().RequestOn(1).Should().NotBeNull($"split at {cut}");
            h.GoAway.Should().BeNull();
        }
    }

    [Fact]
    public void Preface_ByteByByte_NothingConsumedUntilComplete()
    {
        var h = new Http2Harness();
        var preface = Http2ClientCodec.Preface;

        h.SendByteByByte(preface.AsSpan(0, preface.Length - 1));
        h.PendingBytes.Should().Be(preface.Length - 1, "a partial preface is kept for the next read");
        h.SendByteByByte(preface.AsSpan(preface.Length - 1));

        h.PendingBytes.Should().Be(0);
        h.Connection.ShouldClose.Should().BeFalse();
        h.SendByteByByte(Http2ClientCodec.Settings());
        h.TakeFrames().Should().Contain(f => f.Type == Http2FrameType.Settings && f.Has(Http2FrameFlags.Ack));
    }

    [Fact]
    public void Preface_NotCompletedWithinHeadersTimeout_GoAwayProtocolError()
    {
        // The idle timeout (5 s by default) would close first; lengthen it to see the preface deadline itself.
        var h = new Http2Harness(Http2Harness.DefaultSettings() with { KeepAliveTimeout = TimeSpan.FromMinutes(5) });
        h.Send(Http2ClientCodec.Preface.AsSpan(0, 5));

        h.Advance(TimeSpan.FromSeconds(29));
        h.GoAway.Should().BeNull();
        h.Advance(TimeSpan.FromSeconds(1));

        h.GoAway!.ErrorCode.Should().Be(Http2ErrorCode.ProtocolError);
        h.Connection.ShouldClose.Should().BeTrue();
    }

    [Fact]
    public void FirstFrame_NotSettings_StillParsed()
    {
        // RFC 9113 §3.4 requires SETTINGS first; a server may be lenient as long as it stays consistent.
        var h = new Http2Harness();
        h.Send([.. Http2ClientCodec.Preface, .. Http2ClientCodec.Ping(7)]);

        h.TakeFrames().Should().Contain(f => f.Type == Http2FrameType.Ping && f.Has(Http2FrameFlags.Ack));
    }

    private static Dictionary<Http2SettingsParameter, uint> ReadSettings(byte[] payload)
    {
        var settings = new Dictionary<Http2SettingsParameter, uint>();
        for (var at = 0; at < payload.Length; at += 6)
            settings[(Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(at))] = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(at + 2));
        return settings;
    }
}
