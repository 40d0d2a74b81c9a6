using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "http2/6.1"–"6.5.3": the validation rules of DATA, HEADERS, PRIORITY, RST_STREAM and SETTINGS (RFC 9113 §6.1–§6.5).
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> FrameDefinitions()
    {
        // §6.1 DATA
        yield return Case("http2/6.1/1", "RFC 9113 §6.1", "Sends a DATA frame with 0x0 stream identifier", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(Http2ClientCodec.Data(0, "test", endStream: true)));
        yield return Case("http2/6.1/2", "RFC 9113 §6.1", "Sends a DATA frame on the stream that is not in \"open\" or \"half-closed (local)\" state",
            StreamError(Http2ErrorCode.StreamClosed),
            Send(c => c.Headers(1, c.CommonHeaders("POST"))),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        // Frame length 5, Pad Length 6: padding at least as long as the payload.
        yield return Case("http2/6.1/3", "RFC 9113 §6.1", "Sends a DATA frame with invalid pad length", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, [.. c.CommonHeaders("POST"), ("content-length", "4")], endStream: false)),
            Send(H2SpecContext.RawFrame(5, 0x00, 0x09, 1, [0x06, .. "Test"u8])));

        // §6.2 HEADERS
        yield return Case("http2/6.2/1", "RFC 9113 §6.2", "Sends a HEADERS frame without the END_HEADERS flag, and a PRIORITY frame",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false, endHeaders: false)),
            Send(H2SpecContext.Priority(1, 0, 255)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/6.2/2", "RFC 9113 §6.2", "Sends a HEADERS frame to another stream while sending a HEADERS frame",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false, endHeaders: false)),
            Send(c => c.Headers(3, c.CommonHeaders())),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/6.2/3", "RFC 9113 §6.2", "Sends a HEADERS frame with 0x0 stream identifier", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(0, c.CommonHeaders())));
        // Frame length = block + 1, Pad Length = block + 2: the padding exceeds what remains.
        yield return Case("http2/6.2/4", "RFC 9113 §6.2", "Sends a HEADERS frame with invalid pad length", StreamError(Http2ErrorCode.ProtocolError),
            Send(c =>
            {
                var block = c.Block(c.CommonHeaders());
                return H2SpecContext.RawFrame(block.Length + 1, 0x01, 0x0d, 1, [(byte)(block.Length + 2), .. block]);
            }));

        // §6.3 PRIORITY
        yield return Case("http2/6.3/1", "RFC 9113 §6.3", "Sends a PRIORITY frame with 0x0 stream identifier", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(H2SpecContext.Priority(0, 1, 255)));
        yield return Case("http2/6.3/2", "RFC 9113 §6.3", "Sends a PRIORITY frame with a length other than 5 octets", StreamError(Http2ErrorCode.FrameSizeError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(H2SpecContext.RawFrame(4, 0x02, 0x00, 1, 0x80, 0x00, 0x00, 0x01)));

        // §6.4 RST_STREAM
        yield return Case("http2/6.4/1", "RFC 9113 §6.4", "Sends a RST_STREAM frame with 0x0 stream identifier", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(Http2ClientCodec.RstStream(0, Http2ErrorCode.Cancel)));
        yield return Case("http2/6.4/2", "RFC 9113 §6.4", "Sends a RST_STREAM frame on a idle stream", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)));
        yield return Case("http2/6.4/3", "RFC 9113 §6.4", "Sends a RST_STREAM frame with a length other than 4 octets", ConnectionError(Http2ErrorCode.FrameSizeError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(H2SpecContext.RawFrame(3, 0x03, 0x00, 1, 0x00, 0x00, 0x08)));

        // §6.5 SETTINGS
        yield return Case("http2/6.5/1", "RFC 9113 §6.5", "Sends a SETTINGS frame with ACK flag and payload", ConnectionError(Http2ErrorCode.FrameSizeError),
            Send(H2SpecContext.RawFrame(1, 0x04, 0x01, 0, 0x00)));
        yield return Case("http2/6.5/2", "RFC 9113 §6.5", "Sends a SETTINGS frame with a stream identifier other than 0x0", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(H2SpecContext.RawFrame(6, 0x04, 0x00, 1, 0x00, 0x03, 0x00, 0x00, 0x00, 0x64)));
        yield return Case("http2/6.5/3", "RFC 9113 §6.5", "Sends a SETTINGS frame with a length other than a multiple of 6 octets",
            ConnectionError(Http2ErrorCode.FrameSizeError),
            Send(H2SpecContext.RawFrame(3, 0x04, 0x00, 0, 0x00, 0x03, 0x00)));

        // §6.5.2 Defined SETTINGS parameters
        yield return Case("http2/6.5.2/1", "RFC 9113 §6.5.2", "SETTINGS_ENABLE_PUSH (0x2): Sends the value other than 0 or 1",
            ConnectionError(Http2ErrorCode.ProtocolError), Settings((Http2SettingsParameter.EnablePush, 2)));
        yield return Case("http2/6.5.2/2", "RFC 9113 §6.5.2", "SETTINGS_INITIAL_WINDOW_SIZE (0x4): Sends the value above the maximum flow control window size",
            ConnectionError(Http2ErrorCode.FlowControlError), Settings((Http2SettingsParameter.InitialWindowSize, 2_147_483_648)));
        yield return Case("http2/6.5.2/3", "RFC 9113 §6.5.2", "SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value below the initial value",
            ConnectionError(Http2ErrorCode.ProtocolError), Settings((Http2SettingsParameter.MaxFrameSize, 16_383)));
        yield return Case("http2/6.5.2/4", "RFC 9113 §6.5.2", "SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value above the maximum allowed frame size",
            ConnectionError(Http2ErrorCode.ProtocolError), Settings((Http2SettingsParameter.MaxFrameSize, 16_777_216)));
        yield return Accepted("http2/6.5.2/5", "RFC 9113 §6.5.2", "Sends a SETTINGS frame with unknown identifier",
            Settings(((Http2SettingsParameter)0xFF, 1)));

        // §6.5.3 Settings synchronization: values apply in order; the ACK comes at once.
        yield return Case("http2/6.5.3/1", "RFC 9113 §6.5.3", "Sends multiple values of SETTINGS_INITIAL_WINDOW_SIZE", DataOfLength(1, 1),
            Settings((Http2SettingsParameter.InitialWindowSize, 100), (Http2SettingsParameter.InitialWindowSize, 1)),
            AwaitSettingsAck(),
            Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("http2/6.5.3/2", "RFC 9113 §6.5.3", "Sends a SETTINGS frame without ACK flag", SettingsAck(),
            Settings((Http2SettingsParameter.EnablePush, 0)));
    }
}
