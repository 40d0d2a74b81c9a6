using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "http2" §3.5–§5.5 (RFC 7540 numbering): the preface, frame format and size, header blocks, stream
// identifiers, concurrency, dependencies, connection error handling and extensions.
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> Connection()
    {
        // RFC 9113 §3.4 (RFC 7540 §3.5)
        yield return Case("http2/3.5/1", "RFC 9113 §3.4 (RFC 7540 §3.5)", "Sends client connection preface",
            new H2SpecExpectation.Frame("SETTINGS without ACK (the server preface)", f => f.Type == Http2FrameType.Settings && !f.Has(Http2FrameFlags.Ack)),
            Send(Http2ClientCodec.Hello())) with { SkipHandshake = true };
        // A cleartext port shared with HTTP/1.1 reads this as an HTTP/1.1 request (issue #4): that answer is the one exception.
        yield return Case("http2/3.5/2", "RFC 9113 §3.4 (RFC 7540 §3.5)", "Sends invalid connection preface",
            new H2SpecExpectation.ConnectionError([Http2ErrorCode.ProtocolError], Http11AnswerAccepted: true),
            Send(Ascii("INVALID CONNECTION PREFACE\r\n\r\n"))) with { SkipHandshake = true };

        // §4.1: unknown types are discarded, undefined flags and the reserved bit ignored.
        yield return Accepted("http2/4.1/1", "RFC 9113 §4.1", "Sends a frame with unknown type",
            Send(H2SpecContext.RawFrame(8, 0x16, 0x00, 0, new byte[8])));
        yield return Case("http2/4.1/2", "RFC 9113 §4.1", "Sends a frame with undefined flag", PingAck(ProbePayload),
            Send(H2SpecContext.RawFrame(8, 0x06, 0x16, 0, H2SpecContext.PingPayload(ProbePayload))));
        yield return Case("http2/4.1/3", "RFC 9113 §4.1", "Sends a frame with reserved field bit", PingAck(ProbePayload),
            Send(H2SpecContext.RawFrame(8, 0x06, 0x16, 0x8000_0000, H2SpecContext.PingPayload(ProbePayload))));

        // §4.2: frames up to 2^14 must be processed; beyond SETTINGS_MAX_FRAME_SIZE is FRAME_SIZE_ERROR, a connection
        // error for a frame carrying a header block.
        yield return Case("http2/4.2/1", "RFC 9113 §4.2", "Sends a DATA frame with 2^14 octets in length", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(c => Http2ClientCodec.Data(1, new byte[c.MaxFrameSize], endStream: true)));
        yield return Case("http2/4.2/2", "RFC 9113 §4.2", "Sends a large size DATA frame that exceeds the SETTINGS_MAX_FRAME_SIZE",
            StreamError(Http2ErrorCode.FrameSizeError),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(c => Http2ClientCodec.Data(1, new byte[c.MaxFrameSize + 1], endStream: true)));
        yield return Case("http2/4.2/3", "RFC 9113 §4.2", "Sends a large size HEADERS frame that exceeds the SETTINGS_MAX_FRAME_SIZE",
            ConnectionError(Http2ErrorCode.FrameSizeError),
            Send(c => c.Headers(1, [.. c.CommonHeaders(), .. H2SpecContext.DummyHeaders(c.MaxFrameSize / H2SpecContext.DummyValueLength + 2)])));

        // §4.3: a decoding error is COMPRESSION_ERROR; a header block is contiguous.
        yield return Case("http2/4.3/1", "RFC 9113 §4.3", "Sends invalid header block fragment", ConnectionError(Http2ErrorCode.CompressionError),
            Send(H2SpecContext.RawFrame(1, 0x01, 0x05, 1, 0x40)));
        yield return Case("http2/4.3/2", "RFC 9113 §4.3", "Sends a PRIORITY frame while sending the header blocks", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false, endHeaders: false)),
            Send(H2SpecContext.Priority(1, 0, 255)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("http2/4.3/3", "RFC 9113 §4.3", "Sends a HEADERS frame to another stream while sending the header blocks",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false, endHeaders: false)),
            Send(c => c.Headers(3, c.CommonHeaders())),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));

        // §5.1.1: client streams are odd and grow.
        yield return Case("http2/5.1.1/1", "RFC 9113 §5.1.1", "Sends even-numbered stream identifier", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(2, c.CommonHeaders())));
        yield return Case("http2/5.1.1/2", "RFC 9113 §5.1.1", "Sends stream identifier that is numerically smaller than previous",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(5, c.CommonHeaders())),
            Send(c => c.Headers(3, c.CommonHeaders())));

        // §5.1.2: one stream over SETTINGS_MAX_CONCURRENT_STREAMS is PROTOCOL_ERROR or REFUSED_STREAM. A zero window
        // keeps every stream open (its response cannot finish).
        yield return Case("http2/5.1.2/1", "RFC 9113 §5.1.2", "Sends HEADERS frames that causes their advertised concurrent stream limit to be exceeded",
            StreamError(Http2ErrorCode.ProtocolError, Http2ErrorCode.RefusedStream),
            Settings((Http2SettingsParameter.InitialWindowSize, 0)),
            Send(c =>
            {
                var block = c.Block(c.CommonHeaders());
                var streams = (int)(c.MaxConcurrentStreams ?? 100) + 1;
                return Enumerable.Range(0, streams).SelectMany(i => H2SpecContext.HeadersFrame(1 + 2 * i, block, endStream: true, endHeaders: true)).ToArray();
            }));

        // RFC 9113 §5.3.1 (kept from RFC 7540 §5.3.1): a stream cannot depend on itself.
        yield return Case("http2/5.3.1/1", "RFC 9113 §5.3.1 (RFC 7540 §5.3.1)", "Sends HEADERS frame that depends on itself", StreamError(Http2ErrorCode.ProtocolError),
            Send(c => H2SpecContext.HeadersFrame(1, c.Block(c.CommonHeaders()), endStream: true, endHeaders: true, priority: (1, 255, false))));
        yield return Case("http2/5.3.1/2", "RFC 9113 §5.3.1 (RFC 7540 §5.3.1)", "Sends PRIORITY frame that depend on itself", StreamError(Http2ErrorCode.ProtocolError),
            Send(H2SpecContext.Priority(1, 1, 255)));

        // §5.4.1: after the GOAWAY of a connection error, the TCP connection is closed.
        yield return Case("http2/5.4.1/1", "RFC 9113 §5.4.1", "Sends an invalid PING frame for connection close", new H2SpecExpectation.ConnectionClosed(),
            Send(H2SpecContext.RawFrame(8, 0x06, 0x00, 3, new byte[8])));
        yield return Case("http2/5.4.1/2", "RFC 9113 §5.4.1", "Sends an invalid PING frame to receive GOAWAY frame",
            new H2SpecExpectation.Frame("GOAWAY with PROTOCOL_ERROR", f => f.Type == Http2FrameType.GoAway && f.ErrorCode == Http2ErrorCode.ProtocolError,
                f => f.Type == Http2FrameType.GoAway),
            Send(H2SpecContext.RawFrame(8, 0x06, 0x00, 3, new byte[8]))) with { Strict = true };

        // §5.5: unknown extension frames are ignored, except inside a header block.
        yield return Accepted("http2/5.5/1", "RFC 9113 §5.5", "Sends an unknown extension frame",
            Send(H2SpecContext.RawFrame(8, 0x16, 0x00, 0, new byte[8])));
        yield return Case("http2/5.5/2", "RFC 9113 §5.5", "Sends an unknown extension frame in the middle of a header block",
            ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: false)),
            Send(H2SpecContext.RawFrame(8, 0x16, 0x00, 0, new byte[8])));
    }
}
