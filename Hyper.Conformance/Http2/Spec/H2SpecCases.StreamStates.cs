using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "http2/5.1": the stream state machine of RFC 9113 §5.1, one case per forbidden frame in each state.
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> StreamStates()
    {
        const string section = "RFC 9113 §5.1";
        // idle: any frame other than HEADERS or PRIORITY is a connection error PROTOCOL_ERROR.
        yield return Case("http2/5.1/1", section, "idle: Sends a DATA frame", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("http2/5.1/2", section, "idle: Sends a RST_STREAM frame", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)));
        yield return Case("http2/5.1/3", section, "idle: Sends a WINDOW_UPDATE frame", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(Http2ClientCodec.WindowUpdate(1, 100)));
        yield return Case("http2/5.1/4", section, "idle: Sends a CONTINUATION frame", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Continuation(1, c.CommonHeaders(), endHeaders: true)));

        // half-closed (remote): frames other than WINDOW_UPDATE, PRIORITY or RST_STREAM are STREAM_CLOSED.
        yield return Case("http2/5.1/5", section, "half closed (remote): Sends a DATA frame", StreamError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("http2/5.1/6", section, "half closed (remote): Sends a HEADERS frame", StreamError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Send(c => c.Headers(1, c.CommonHeaders())));
        // A CONTINUATION after a complete block is also a §6.10 PROTOCOL_ERROR: either code is right.
        yield return Case("http2/5.1/7", section, "half closed (remote): Sends a CONTINUATION frame",
            StreamError(Http2ErrorCode.StreamClosed, Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Send(c => c.Continuation(1, c.CommonHeaders(), endHeaders: true)));

        // closed by the client's RST_STREAM: anything but PRIORITY is STREAM_CLOSED.
        yield return Case("http2/5.1/8", section, "closed: Sends a DATA frame after sending RST_STREAM frame", StreamError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("http2/5.1/9", section, "closed: Sends a HEADERS frame after sending RST_STREAM frame", StreamError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)),
            Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("http2/5.1/10", section, "closed: Sends a CONTINUATION frame after sending RST_STREAM frame",
            StreamError(Http2ErrorCode.StreamClosed, Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));

        // closed after both END_STREAMs: any frame is a connection error STREAM_CLOSED (RFC 7540 §5.1; RFC 9113 §5.1
        // makes it "a connection error of type STREAM_CLOSED" for frames after the stream is closed).
        yield return Case("http2/5.1/11", section, "closed: Sends a DATA frame", ConnectionError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders())),
            AwaitStreamEnd(1),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("http2/5.1/12", section, "closed: Sends a HEADERS frame", ConnectionError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders())),
            AwaitStreamEnd(1),
            Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("http2/5.1/13", section, "closed: Sends a CONTINUATION frame",
            ConnectionError(Http2ErrorCode.StreamClosed, Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders())),
            AwaitStreamEnd(1),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
    }
}
