using System.Buffers;
using Hyper.Http3.Frames;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Frames;

public sealed class Http3FrameReaderTests
{
    // A request: HEADERS(0000d1), an unknown grease frame 0x21 of 3 octets, DATA("hello"), DATA(""), an unknown
    // 2-octet type, trailers HEADERS(0000).
    private const string Request = "01 03 0000d1" + "21 03 aabbcc" + "00 05 68656c6c6f" + "00 00" + "4040 01 ff" + "01 02 0000";

    private static readonly string[] RequestEvents = ["Headers:0000d1", "Data:68656c6c6f", "Headers:0000"];

    // The control stream: SETTINGS(QPACK_MAX_TABLE_CAPACITY=16), GOAWAY(4), MAX_PUSH_ID(7), CANCEL_PUSH(2), grease.
    private const string Control = "04 02 0110" + "07 01 04" + "0d 01 07" + "03 01 02" + "40a0 00";

    private static readonly string[] ControlEvents = ["Settings:0110", "GoAway:4", "MaxPushId:7", "CancelPush:2"];

    [Fact]
    public void RequestStream_InOnePiece()
    {
        var collector = new FrameCollector(Http3StreamKind.Request);
        collector.Feed(Hex.Parse(Request));
        collector.Reader.EndOfStream();

        collector.Finish().Should().Equal(RequestEvents);
        collector.Reader.SkippedFrames.Should().Be(2);
        collector.Reader.SkippedOctets.Should().Be(4);
        collector.Reader.TrailersReceived.Should().BeTrue();
    }

    [Fact]
    public void RequestStream_SplitAtEveryPosition()
    {
        var bytes = Hex.Parse(Request);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var collector = new FrameCollector(Http3StreamKind.Request);
            collector.Feed(bytes.AsSpan(0, split));
            collector.Feed(bytes.AsSpan(split));
            collector.Reader.EndOfStream();
            collector.Finish().Should().Equal(RequestEvents, $"split at {split}");
        }
    }

    [Fact]
    public void RequestStream_ByteByByte()
    {
        var collector = new FrameCollector(Http3StreamKind.Request);
        foreach (var octet in Hex.Parse(Request)) collector.Feed([octet]);

        collector.Finish().Should().Equal(RequestEvents);
    }

    [Fact]
    public void ControlStream_SplitAtEveryPosition()
    {
        var bytes = Hex.Parse(Control);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var collector = new FrameCollector(Http3StreamKind.Control);
            collector.Feed(bytes.AsSpan(0, split));
            collector.Feed(bytes.AsSpan(split));
            collector.Finish().Should().Equal(ControlEvents, $"split at {split}");
        }
    }

    [Fact]
    public void WriterOutput_ReadsBack()
    {
        var output = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteSettings(output, new Http3Settings { QpackMaxTableCapacity = 16 });
        Http3FrameWriter.WriteGoAway(output, 4);
        Http3FrameWriter.WriteMaxPushId(output, 7);
        Http3FrameWriter.WriteCancelPush(output, 2);

        Hex.Format(output.WrittenSpan).Should().Be(Control[..^7].Replace(" ", "", StringComparison.Ordinal));

        var request = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteHeaders(request, Hex.Parse("0000d1"));
        Http3FrameWriter.WriteDataHeader(request, 5);
        request.Write("hello"u8);
        var collector = new FrameCollector(Http3StreamKind.Request);
        collector.Feed(request.WrittenSpan);
        collector.Finish().Should().Equal("Headers:0000d1", "Data:68656c6c6f");
    }

    [Fact]
    public void ALargeDataFrame_IsHandedOutInPieces_WithoutBuffering()
    {
        var reader = new Http3FrameReader(Http3StreamKind.Request, new Http3FrameReaderOptions());
        reader.Read(Hex.Parse("01 03 0000d1 00 80100000"), out var consumed, out _, out _).Should().Be(Http3FrameEventKind.Headers);
        reader.Read(Hex.Parse("01 03 0000d1 00 80100000")[consumed..], out _, out _, out _).Should().Be(Http3FrameEventKind.NeedMoreData);

        var piece = new byte[4096];
        long total = 0;
        while (total < 0x100000)
        {
            reader.Read(piece, out var used, out var payload, out _).Should().Be(Http3FrameEventKind.Data);
            used.Should().Be(4096);
            payload.Length.Should().Be(4096);
            total += used;
        }

        reader.PayloadCapacity.Should().BeLessThan(1024, "DATA is never copied");
        reader.EndOfStream();
    }

    [Theory]
    [InlineData(Http3StreamKind.Request, "00 01 aa", Http3ErrorCode.FrameUnexpected, "DATA before HEADERS (§4.1)")]
    [InlineData(Http3StreamKind.Request, "01 01 00 01 01 00 00 01 aa", Http3ErrorCode.FrameUnexpected, "DATA after trailers (§4.1)")]
    [InlineData(Http3StreamKind.Request, "01 01 00 01 01 00 01 01 00", Http3ErrorCode.FrameUnexpected, "HEADERS after trailers (§4.1)")]
    [InlineData(Http3StreamKind.Request, "04 00", Http3ErrorCode.FrameUnexpected, "SETTINGS on a request stream (§7.2.4)")]
    [InlineData(Http3StreamKind.Request, "07 01 00", Http3ErrorCode.FrameUnexpected, "GOAWAY on a request stream (§7.2.6)")]
    [InlineData(Http3StreamKind.Request, "0d 01 00", Http3ErrorCode.FrameUnexpected, "MAX_PUSH_ID on a request stream (§7.2.7)")]
    [InlineData(Http3StreamKind.Request, "03 01 00", Http3ErrorCode.FrameUnexpected, "CANCEL_PUSH on a request stream (§7.2.3)")]
    [InlineData(Http3StreamKind.Request, "05 02 0000", Http3ErrorCode.FrameUnexpected, "PUSH_PROMISE from a client (§7.2.5)")]
    [InlineData(Http3StreamKind.Request, "02 00", Http3ErrorCode.FrameUnexpected, "HTTP/2 PRIORITY (§7.2.8)")]
    [InlineData(Http3StreamKind.Request, "06 00", Http3ErrorCode.FrameUnexpected, "HTTP/2 PING (§7.2.8)")]
    [InlineData(Http3StreamKind.Request, "08 00", Http3ErrorCode.FrameUnexpected, "HTTP/2 WINDOW_UPDATE (§7.2.8)")]
    [InlineData(Http3StreamKind.Request, "09 00", Http3ErrorCode.FrameUnexpected, "HTTP/2 CONTINUATION (§7.2.8)")]
    [InlineData(Http3StreamKind.Control, "07 01 00", Http3ErrorCode.MissingSettings, "GOAWAY before SETTINGS (§6.2.1)")]
    [InlineData(Http3StreamKind.Control, "21 00", Http3ErrorCode.MissingSettings, "a grease frame before SETTINGS (§6.2.1)")]
    [InlineData(Http3StreamKind.Control, "04 00 04 00", Http3ErrorCode.FrameUnexpected, "a second SETTINGS (§7.2.4)")]
    [InlineData(Http3StreamKind.Control, "04 00 00 00", Http3ErrorCode.FrameUnexpected, "DATA on the control stream (§7.2.1)")]
    [InlineData(Http3StreamKind.Control, "04 00 01 00", Http3ErrorCode.FrameUnexpected, "HEADERS on the control stream (§7.2.2)")]
    [InlineData(Http3StreamKind.Control, "04 00 05 00", Http3ErrorCode.FrameUnexpected, "PUSH_PROMISE on the control stream (§7.2.5)")]
    [InlineData(Http3StreamKind.Control, "04 00 07 00", Http3ErrorCode.FrameError, "GOAWAY with an empty payload (§7.1)")]
    [InlineData(Http3StreamKind.Control, "04 00 07 09 000000000000000000", Http3ErrorCode.FrameError, "GOAWAY longer than a varint (§7.1)")]
    [InlineData(Http3StreamKind.Control, "04 00 07 02 0000", Http3ErrorCode.FrameError, "GOAWAY with an octet after its varint (§7.1)")]
    [InlineData(Http3StreamKind.Control, "04 00 07 01 40", Http3ErrorCode.FrameError, "GOAWAY whose varint is cut (§7.1)")]
    [InlineData(Http3StreamKind.Control, "04 02 0200", Http3ErrorCode.SettingsError, "SETTINGS with an HTTP/2 identifier (§7.2.4.1)")]
    public void ForbiddenFrames_GiveTheirErrorCode(Http3StreamKind kind, string hex, Http3ErrorCode expected, string because)
    {
        var act = () =>
        {
            var collector = new FrameCollector(kind);
            collector.Feed(Hex.Parse(hex));
            foreach (var e in collector.Finish().Where(e => e.StartsWith("Settings:", StringComparison.Ordinal)))
            {
                Http3Settings.Decode(Hex.Parse(e["Settings:".Length..]));
            }
        };

        act.Should().Throw<Http3Exception>(because).Which.ErrorCode.Should().Be(expected);
    }

    [Fact]
    public void HugeSettings_IsRefusedFromItsHeader()
    {
        var reader = new Http3FrameReader(Http3StreamKind.Control, new Http3FrameReaderOptions());

        // SETTINGS declaring 1 MiB: refused on the header, before any payload.
        var act = () => reader.Read(Hex.Parse("04 80100000"), out _, out _, out _);

        act.Should().Throw<Http3Exception>().Which.ErrorCode.Should().Be(Http3ErrorCode.ExcessiveLoad);
        reader.PayloadCapacity.Should().Be(0);
    }

    [Fact]
    public void HugeHeaders_IsAStreamError_RefusedFromItsHeader()
    {
        var reader = new Http3FrameReader(Http3StreamKind.Request, new Http3FrameReaderOptions { MaxHeadersPayload = 1000 });

        var act = () => reader.Read(Hex.Parse("01 43e9"), out _, out _, out _); // 1001 octets

        var error = act.Should().Throw<Http3Exception>().Which;
        error.ErrorCode.Should().Be(Http3ErrorCode.ExcessiveLoad);
        error.IsConnectionError.Should().BeFalse();
        reader.PayloadCapacity.Should().Be(0);
    }

    [Fact]
    public void AHeadersFrameArrivingSlowly_GrowsItsBufferOnlyWithWhatArrived()
    {
        var reader = new Http3FrameReader(Http3StreamKind.Request, new Http3FrameReaderOptions());
        reader.Read(Hex.Parse("01 7fff"), out _, out _, out _).Should().Be(Http3FrameEventKind.NeedMoreData); // 16383 octets declared

        reader.PayloadCapacity.Should().Be(0);
        reader.Read(new byte[10], out _, out _, out _);
        reader.PayloadCapacity.Should().BeLessThanOrEqualTo(256);
    }

    [Fact]
    public void UnknownFramesWithHugeLengths_AreSkippedWithoutBuffering()
    {
        var collector = new FrameCollector(Http3StreamKind.Request);
        collector.Feed(Hex.Parse("01 03 0000d1 21 c000000100000000")); // grease frame declaring 4 GiB
        var chunk = new byte[65536];
        for (var i = 0; i < 64; i++) collector.Feed(chunk);

        collector.Reader.SkippedOctets.Should().Be(64 * 65536);
        collector.Reader.PayloadCapacity.Should().BeLessThanOrEqualTo(256);
        var act = () => collector.Reader.EndOfStream();
        act.Should().Throw<Http3Exception>().Which.ErrorCode.Should().Be(Http3ErrorCode.FrameError);
    }

    [Theory]
    [InlineData("01 03 0000", "inside a HEADERS payload")]
    [InlineData("01 03 0000d1 00 05 6865", "inside a DATA payload")]
    [InlineData("01 03 0000d1 00", "inside a frame header")]
    public void StreamEndingInsideAFrame_IsFrameError(string hex, string because)
    {
        var collector = new FrameCollector(Http3StreamKind.Request);
        collector.Feed(Hex.Parse(hex));

        var act = () => collector.Reader.EndOfStream();

        act.Should().Throw<Http3Exception>(because).Which.ErrorCode.Should().Be(Http3ErrorCode.FrameError);
    }

    [Fact]
    public void RequestStreamEndingBeforeItsHeaders_IsRequestIncomplete()
    {
        var collector = new FrameCollector(Http3StreamKind.Request);
        collector.Feed(Hex.Parse("21 00"));

        var act = () => collector.Reader.EndOfStream();

        var error = act.Should().Throw<Http3Exception>().Which;
        error.ErrorCode.Should().Be(Http3ErrorCode.RequestIncomplete);
        error.IsConnectionError.Should().BeFalse();
    }

    [Fact]
    public void GreaseTypes_AreRecognised()
    {
        Http3FrameType.IsGrease(0x21).Should().BeTrue();
        Http3FrameType.IsGrease(0x21 + 0x1f * 1000).Should().BeTrue();
        Http3FrameType.IsGrease(0x22).Should().BeFalse();
    }
}
