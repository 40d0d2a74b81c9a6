using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;
using static Hyper.Http3.Tests.Support.Http3TestPeer;

namespace Hyper.Http3.Tests.Connection;

/// <summary>Every error the connection answers, with the H3 or QPACK code RFC 9114 §8 and RFC 9204 §6 give it.</summary>
public sealed class Http3ConnectionErrorTests
{
    private static byte[] ControlStream(params byte[][] frames)
    {
        var control = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(control, Http3UnidirectionalStreamType.Control);
        foreach (var frame in frames) control.Write(frame);
        return control.WrittenSpan.ToArray();
    }

    private static byte[] Settings(Http3Settings? settings = null)
    {
        var frame = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteSettings(frame, settings ?? new Http3Settings());
        return frame.WrittenSpan.ToArray();
    }

    // ---- control stream (RFC 9114 §6.2.1, §7.2) ----

    [Fact]
    public void ControlStream_NotStartingWithSettings_IsMissingSettings()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Frame(Http3FrameType.GoAway, Varint(0))));
        peer.ShouldBeClosedWith(Http3ErrorCode.MissingSettings);
    }

    [Fact]
    public void SecondControlStream_IsStreamCreationError()
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams();
        peer.Feed(14, ControlStream(Settings()));
        peer.ShouldBeClosedWith(Http3ErrorCode.StreamCreationError);
    }

    [Theory]
    [InlineData(Http3UnidirectionalStreamType.QpackEncoder)]
    [InlineData(Http3UnidirectionalStreamType.QpackDecoder)]
    public void SecondQpackStream_IsStreamCreationError(long type)
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams();
        peer.Feed(14, [(byte)type]);
        peer.ShouldBeClosedWith(Http3ErrorCode.StreamCreationError);
    }

    [Fact]
    public void PushStreamFromClient_IsStreamCreationError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(2, [(byte)Http3UnidirectionalStreamType.Push, 0]);
        peer.ShouldBeClosedWith(Http3ErrorCode.StreamCreationError);
    }

    [Theory]
    [InlineData(ClientControlStream)]
    [InlineData(ClientEncoderStream)]
    [InlineData(ClientDecoderStream)]
    public void CriticalStream_Finished_IsClosedCriticalStream(long streamId)
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams();
        peer.Feed(streamId, [], fin: true);
        peer.ShouldBeClosedWith(Http3ErrorCode.ClosedCriticalStream);
    }

    [Fact]
    public void ControlStream_Reset_IsClosedCriticalStream()
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams();
        peer.Server.ReceiveStreamReset(ClientControlStream, 0x100, peer.Now);
        peer.Drain();
        peer.ShouldBeClosedWith(Http3ErrorCode.ClosedCriticalStream);
    }

    [Theory]
    [InlineData(Http3Connection.ControlStreamId)]
    [InlineData(Http3Connection.EncoderStreamId)]
    [InlineData(Http3Connection.DecoderStreamId)]
    public void StopSendingOnOurCriticalStream_IsClosedCriticalStream(long streamId)
    {
        var peer = new Http3TestPeer();
        peer.Server.ReceiveStopSending(streamId, 0x100, peer.Now);
        peer.Drain();
        peer.ShouldBeClosedWith(Http3ErrorCode.ClosedCriticalStream);
    }

    [Fact]
    public void SecondSettings_IsFrameUnexpected()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Settings(), Settings()));
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public void DataOnControlStream_IsFrameUnexpected()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Settings(), Data("x")));
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public void HugeSettings_IsExcessiveLoad_FromTheFrameHeader()
    {
        var peer = new Http3TestPeer();
        var header = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(header, 0);
        Http3FrameWriter.WriteFrameHeader(header, Http3FrameType.Settings, 1L << 40);
        peer.Feed(ClientControlStream, header.WrittenSpan.ToArray());
        peer.ShouldBeClosedWith(Http3ErrorCode.ExcessiveLoad);
    }

    [Fact]
    public void SettingsWithHttp2Identifier_IsSettingsError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Frame(Http3FrameType.Settings, [0x04, 0x10])));
        peer.ShouldBeClosedWith(Http3ErrorCode.SettingsError);
    }

    [Fact]
    public void GoAwayFromClient_GoingUp_IsIdError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Settings(), Frame(Http3FrameType.GoAway, Varint(4)), Frame(Http3FrameType.GoAway, Varint(4))));
        peer.Closed.Should().BeNull("the same id again is allowed");
        peer.Feed(ClientControlStream, Frame(Http3FrameType.GoAway, Varint(8)));
        peer.ShouldBeClosedWith(Http3ErrorCode.IdError);
    }

    [Fact]
    public void MaxPushIdGoingDown_IsIdError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Settings(), Frame(Http3FrameType.MaxPushId, Varint(10)), Frame(Http3FrameType.MaxPushId, Varint(9))));
        peer.ShouldBeClosedWith(Http3ErrorCode.IdError);
    }

    [Fact]
    public void CancelPushBeyondMaxPushId_IsIdError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Settings(), Frame(Http3FrameType.MaxPushId, Varint(3)), Frame(Http3FrameType.CancelPush, Varint(3))));
        peer.Closed.Should().BeNull();
        peer.Feed(ClientControlStream, Frame(Http3FrameType.CancelPush, Varint(4)));
        peer.ShouldBeClosedWith(Http3ErrorCode.IdError);
    }

    [Fact]
    public void GoAwayWithTwoVarints_IsFrameError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(ClientControlStream, ControlStream(Settings(), Frame(Http3FrameType.GoAway, [0x01, 0x02])));
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameError);
    }

    // ---- request streams (RFC 9114 §4.1) ----

    [Fact]
    public void DataBeforeHeaders_IsFrameUnexpected()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Data("x"));
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public void DataAfterTrailers_IsFrameUnexpected()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Request("POST", "/"), .. Headers(("x", "y")), .. Data("late")]);
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameUnexpected);
        peer.Single<StreamAborted>(0);
    }

    [Theory]
    [InlineData(Http3FrameType.Settings)]
    [InlineData(Http3FrameType.GoAway)]
    [InlineData(Http3FrameType.MaxPushId)]
    [InlineData(Http3FrameType.PushPromise)]
    [InlineData(0x06L)] // HTTP/2's PING (RFC 9114 §7.2.8)
    public void ControlFramesOnRequestStream_AreFrameUnexpected(long type)
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Get(), .. Frame(type, [0])]);
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameUnexpected);
    }

    [Fact]
    public void FinBeforeHeaders_IsRequestIncomplete_AStreamError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Frame(0x21, [1]), fin: true);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.RequestIncomplete);
        peer.Events.Should().BeEmpty();
    }

    [Fact]
    public void FinInsideAFrame_IsFrameError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Request("POST", "/"), .. Data("hello")[..^2]], fin: true);
        peer.ShouldBeClosedWith(Http3ErrorCode.FrameError);
    }

    public static TheoryData<string, (string, string)[]> MalformedHeads => new()
    {
        { "no :method", [(":scheme", "https"), (":authority", "a"), (":path", "/")] },
        { "no :scheme", [(":method", "GET"), (":authority", "a"), (":path", "/")] },
        { "no :path", [(":method", "GET"), (":scheme", "https"), (":authority", "a")] },
        { "empty :path", [(":method", "GET"), (":scheme", "https"), (":path", "")] },
        { "relative :path", [(":method", "GET"), (":scheme", "https"), (":path", "index.html")] },
        { "repeated :path", [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":path", "/")] },
        { "unknown pseudo", [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":status", "200")] },
        { "pseudo after field", [(":method", "GET"), (":scheme", "https"), ("accept", "*/*"), (":path", "/")] },
        { "upper-case name", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("Accept", "*/*")] },
        { "connection field", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("connection", "keep-alive")] },
        { "transfer-encoding", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("transfer-encoding", "chunked")] },
        { "te not trailers", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("te", "gzip")] },
        { "value with LF", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("x", "a\nb")] },
        { "bad content-length", [(":method", "POST"), (":scheme", "https"), (":path", "/"), ("content-length", "1x")] },
        { "two content-lengths", [(":method", "POST"), (":scheme", "https"), (":path", "/"), ("content-length", "1"), ("content-length", "2")] },
        { ":protocol without CONNECT", [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":protocol", "websocket")] },
        { "CONNECT with :path", [(":method", "CONNECT"), (":authority", "a:443"), (":path", "/")] },
        { "CONNECT without :authority", [(":method", "CONNECT")] },
        { "https without authority", [(":method", "GET"), (":scheme", "https"), (":path", "/")] },
        { "empty :authority", [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":authority", "")] },
        { ":authority and host differ", [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":authority", "a"), ("host", "b")] },
        { "repeated host", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("host", "a"), ("host", "a")] },
    };

    [Theory]
    [MemberData(nameof(MalformedHeads))]
    public void MalformedRequest_IsMessageError_AStreamError(string why, (string, string)[] fields)
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Headers(fields), fin: true);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.MessageError);
        peer.Events.Should().BeEmpty(why);

        // The connection goes on.
        peer.Feed(4, Get(), fin: true);
        peer.Single<RequestReceived>(4);
    }

    [Fact]
    public void PseudoHeaderInTrailers_IsMessageError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Request("POST", "/"), .. Headers((":path", "/"))], fin: true);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.MessageError);
        peer.Single<StreamAborted>(0);
    }

    [Fact]
    public void BodyLongerThanContentLength_IsMessageError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Request("POST", "/", ("content-length", "3")), .. Data("four")]);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.MessageError);
        peer.Body(0).Should().BeEmpty("the body is refused before any of it reaches the application");
    }

    [Fact]
    public void BodyShorterThanContentLength_IsMessageError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, [.. Request("POST", "/", ("content-length", "5")), .. Data("four")], fin: true);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.MessageError);
        peer.Events.OfType<RequestBodyEnded>().Should().BeEmpty();
    }

    [Fact]
    public void ContentLengthWithHeadersOnly_IsMessageError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(0, Request("POST", "/", ("content-length", "5")), fin: true);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.MessageError);
    }

    [Fact]
    public void HeadersOverTheFieldSectionLimit_AreRefusedForTheStream()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { MaxFieldSectionSize = 1000 });
        peer.Feed(0, Get("/", ("x-big", new string('a', 1200))), fin: true);
        peer.ShouldHaveStreamError(0, Http3ErrorCode.ExcessiveLoad);

        // Decoded size over the limit, encoded size under it: 40 lines of a static entry ('accept: */*') cost 32 + 11 each.
        peer.Feed(4, Get("/", Enumerable.Repeat(("accept", "*/*"), 40).ToArray()), fin: true);
        peer.ShouldHaveStreamError(4, Http3ErrorCode.ExcessiveLoad);

        peer.Feed(8, Get(), fin: true);
        peer.Single<RequestReceived>(8);
    }

    [Fact]
    public void ServerInitiatedBidirectionalStream_IsStreamCreationError()
    {
        var peer = new Http3TestPeer();
        peer.Feed(1, Get());
        peer.ShouldBeClosedWith(Http3ErrorCode.StreamCreationError);
    }

    // ---- QPACK (RFC 9204 §6) ----

    [Fact]
    public void DynamicReferenceWithTableOff_IsDecompressionFailed()
    {
        var peer = new Http3TestPeer();
        // Required Insert Count 1 with MaxEntries 0 cannot be encoded (RFC 9204 §4.5.1.1).
        peer.Feed(0, HeadersFrame([0x02, 0x00, 0x80]));
        peer.ShouldBeClosedWith((long)QpackErrorCode.DecompressionFailed);
    }

    [Fact]
    public void EncoderStreamCapacityAboveOurs_IsEncoderStreamError()
    {
        var peer = new Http3TestPeer(new Http3ConnectionOptions { QpackMaxTableCapacity = 100 });
        peer.OpenClientStreams();
        peer.Feed(ClientEncoderStream, [0x3f, 0x46]); // Set Dynamic Table Capacity 101 (0x20 | 31, then 70)
        peer.ShouldBeClosedWith((long)QpackErrorCode.EncoderStreamError);
    }

    [Fact]
    public void InsertCountIncrementOnDecoderStream_IsDecoderStreamError()
    {
        var peer = new Http3TestPeer();
        peer.OpenClientStreams();
        peer.Feed(ClientDecoderStream, [0x01]);
        peer.ShouldBeClosedWith((long)QpackErrorCode.DecoderStreamError);
    }
}
