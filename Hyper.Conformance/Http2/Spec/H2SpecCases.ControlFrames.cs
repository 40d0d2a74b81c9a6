using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "http2/6.7"–"6.10": PING, GOAWAY, WINDOW_UPDATE and flow control, CONTINUATION (RFC 9113 §6.7–§6.10).
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> ControlFrames()
    {
        // §6.7 PING
        yield return Case("http2/6.7/1", "RFC 9113 §6.7", "Sends a PING frame", PingAck(ProbePayload), Send(H2SpecContext.Ping(ProbePayload)));
        // An ACK is never answered: the first PING ACK back must carry the second payload, not "invalid!".
        yield return Case("http2/6.7/2", "RFC 9113 §6.7", "Sends a PING frame with ACK", PingAck(ProbePayload),
            Send(H2SpecContext.Ping("invalid!", ack: true)),
            Send(H2SpecContext.Ping(ProbePayload)));
        yield return Case("http2/6.7/3", "RFC 9113 §6.7", "Sends a PING frame with a stream identifier field value other than 0x0",
            ConnectionError(Http2ErrorCode.ProtocolError), Send(H2SpecContext.RawFrame(8, 0x06, 0x00, 1, new byte[8])));
        yield return Case("http2/6.7/4", "RFC 9113 §6.7", "Sends a PING frame with a length field value other than 8",
            ConnectionError(Http2ErrorCode.FrameSizeError), Send(H2SpecContext.RawFrame(6, 0x06, 0x00, 0, new byte[6])));

        // §6.8 GOAWAY
        yield return Case("http2/6.8/1", "RFC 9113 §6.8", "Sends a GOAWAY frame with a stream identifier other than 0x0",
            ConnectionError(Http2ErrorCode.ProtocolError), Send(H2SpecContext.RawFrame(8, 0x07, 0x00, 1, new byte[8])));

        // §6.9 WINDOW_UPDATE
        yield return Case("http2/6.9/1", "RFC 9113 §6.9", "Sends a WINDOW_UPDATE frame with a flow control window increment of 0",
            ConnectionError(Http2ErrorCode.ProtocolError), Send(H2SpecContext.RawFrame(4, 0x08, 0x00, 0, new byte[4])));
        yield return Case("http2/6.9/2", "RFC 9113 §6.9", "Sends a WINDOW_UPDATE frame with a flow control window increment of 0 on a stream",
            StreamError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(H2SpecContext.RawFrame(4, 0x08, 0x00, 1, new byte[4])));
        yield return Case("http2/6.9/3", "RFC 9113 §6.9", "Sends a WINDOW_UPDATE frame with a length other than 4 octets",
            ConnectionError(Http2ErrorCode.FrameSizeError), Send(H2SpecContext.RawFrame(3, 0x08, 0x00, 0, 0x00, 0x00, 0x01)));

        // §6.9.1: never beyond the peer's window; a window above 2^31-1 ends the stream or the connection.
        yield return Case("http2/6.9.1/1", "RFC 9113 §6.9.1", "Sends SETTINGS frame to set the initial window size to 1 and sends HEADERS frame",
            DataOfLength(1, 1),
            Settings((Http2SettingsParameter.InitialWindowSize, 1)),
            AwaitSettingsAck(),
            Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("http2/6.9.1/2", "RFC 9113 §6.9.1", "Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1",
            new H2SpecExpectation.Frame("GOAWAY with FLOW_CONTROL_ERROR", f => f.Type == Http2FrameType.GoAway && f.ErrorCode == Http2ErrorCode.FlowControlError),
            Send(Http2ClientCodec.WindowUpdate(0, int.MaxValue)),
            Send(Http2ClientCodec.WindowUpdate(0, int.MaxValue)));
        yield return Case("http2/6.9.1/3", "RFC 9113 §6.9.1", "Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1 on a stream",
            new H2SpecExpectation.Frame("RST_STREAM with FLOW_CONTROL_ERROR on stream 1",
                f => f.Type == Http2FrameType.RstStream && f.StreamId == 1 && f.ErrorCode == Http2ErrorCode.FlowControlError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(Http2ClientCodec.WindowUpdate(1, int.MaxValue)),
            Send(Http2ClientCodec.WindowUpdate(1, int.MaxValue)));

        // §6.9.2: a change of SETTINGS_INITIAL_WINDOW_SIZE moves every stream window, possibly below zero.
        yield return Case("http2/6.9.2/1", "RFC 9113 §6.9.2", "Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame", DataOfLength(1, 1),
            Settings((Http2SettingsParameter.InitialWindowSize, 0)),
            AwaitSettingsAck(),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Settings((Http2SettingsParameter.InitialWindowSize, 1)),
            AwaitSettingsAck());
        yield return Case("http2/6.9.2/2", "RFC 9113 §6.9.2", "Sends a SETTINGS frame for window size to be negative", DataOfLength(1, 1),
            Settings((Http2SettingsParameter.InitialWindowSize, 3)),
            AwaitSettingsAck(),
            Send(c => c.Headers(1, c.CommonHeaders())),
            AwaitData(1),
            Settings((Http2SettingsParameter.InitialWindowSize, 2)),
            AwaitSettingsAck(),
            Send(Http2ClientCodec.WindowUpdate(1, 2)));
        yield return Case("http2/6.9.2/3", "RFC 9113 §6.9.2", "Sends a SETTINGS_INITIAL_WINDOW_SIZE settings with an exceeded maximum window size value",
            ConnectionError(Http2ErrorCode.FlowControlError),
            Send(H2SpecContext.RawFrame(6, 0x04, 0x00, 0, 0x00, 0x04, 0x80, 0x00, 0x00, 0x00)));

        // §6.10 CONTINUATION
        yield return Case("http2/6.10/1", "RFC 9113 §6.10", "Sends multiple CONTINUATION frames preceded by a HEADERS frame", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/6.10/2", "RFC 9113 §6.10", "Sends a CONTINUATION frame followed by any frame other than CONTINUATION",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false, endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("http2/6.10/3", "RFC 9113 §6.10", "Sends a CONTINUATION frame with 0x0 stream identifier", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: false)),
            Send(c => c.Continuation(0, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/6.10/4", "RFC 9113 §6.10", "Sends a CONTINUATION frame preceded by a HEADERS frame with END_HEADERS flag",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: true)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/6.10/5", "RFC 9113 §6.10", "Sends a CONTINUATION frame preceded by a CONTINUATION frame with END_HEADERS flag",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/6.10/6", "RFC 9113 §6.10", "Sends a CONTINUATION frame preceded by a DATA frame", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false, endHeaders: true)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
    }
}
