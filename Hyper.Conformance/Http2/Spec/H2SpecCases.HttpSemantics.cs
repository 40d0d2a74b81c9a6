using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "http2/8.x" in RFC 7540 numbering: message exchange and malformed requests. RFC 9113 moved these rules:
// 8.1.2 → §8.2, 8.1.2.1 → §8.3, 8.1.2.2 → §8.2.2, 8.1.2.3 → §8.3.1, 8.1.2.6 → §8.1.1, 8.2 → §8.4.
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> HttpSemantics()
    {
        var protocolError = StreamError(Http2ErrorCode.ProtocolError);

        // §8.1: a HEADERS after the request head without END_STREAM is malformed (trailers must end the stream).
        yield return Case("http2/8.1/1", "RFC 9113 §8.1 (RFC 7540 §8.1)", "Sends a second HEADERS frame without the END_STREAM flag", protocolError,
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: false)),
            Send(c => c.Headers(1, [("x-test", "ok")], endStream: false)));

        // §8.2: field names are lower case.
        yield return Case("http2/8.1.2/1", "RFC 9113 §8.2 (RFC 7540 §8.1.2)", "Sends a HEADERS frame that contains the header field name in uppercase letters",
            protocolError, Send(c => c.Headers(1, [.. c.CommonHeaders(), ("X-TEST", "ok")])));

        // §8.3: pseudo-header fields — only the defined request ones, never in trailers, all before regular fields.
        const string pseudo = "RFC 9113 §8.3 (RFC 7540 §8.1.2.1)";
        yield return Case("http2/8.1.2.1/1", pseudo, "Sends a HEADERS frame that contains a unknown pseudo-header field", protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders(), (":test", "ok")])));
        yield return Case("http2/8.1.2.1/2", pseudo, "Sends a HEADERS frame that contains the pseudo-header field defined for response", protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders(), (":status", "200")])));
        yield return Case("http2/8.1.2.1/3", pseudo, "Sends a HEADERS frame that contains a pseudo-header field as trailers", protocolError,
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: false)),
            Send(c => c.Headers(1, [(":method", "POST")], endStream: true)));
        yield return Case("http2/8.1.2.1/4", pseudo, "Sends a HEADERS frame that contains a pseudo-header field that appears in a header block after a regular header field",
            protocolError, Send(c => c.Headers(1, [("x-test", "ok"), .. c.CommonHeaders()])));

        // §8.2.2: connection-specific fields are malformed; TE may only be "trailers".
        const string connectionSpecific = "RFC 9113 §8.2.2 (RFC 7540 §8.1.2.2)";
        yield return Case("http2/8.1.2.2/1", connectionSpecific, "Sends a HEADERS frame that contains the connection-specific header field", protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders(), ("connection", "keep-alive")])));
        yield return Case("http2/8.1.2.2/2", connectionSpecific, "Sends a HEADERS frame that contains the TE header field with any value other than \"trailers\"",
            protocolError, Send(c => c.Headers(1, [.. c.CommonHeaders(), ("trailers", "test"), ("te", "trailers, deflate")])));

        // §8.3.1: exactly one non-empty :method, :scheme and :path.
        const string requestPseudo = "RFC 9113 §8.3.1 (RFC 7540 §8.1.2.3)";
        yield return Case("http2/8.1.2.3/1", requestPseudo, "Sends a HEADERS frame with empty \":path\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, Replace(c.CommonHeaders(), ":path", ""))));
        yield return Case("http2/8.1.2.3/2", requestPseudo, "Sends a HEADERS frame that omits \":method\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, Without(c.CommonHeaders(), ":method"))));
        yield return Case("http2/8.1.2.3/3", requestPseudo, "Sends a HEADERS frame that omits \":scheme\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, Without(c.CommonHeaders(), ":scheme"))));
        yield return Case("http2/8.1.2.3/4", requestPseudo, "Sends a HEADERS frame that omits \":path\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, Without(c.CommonHeaders(), ":path"))));
        yield return Case("http2/8.1.2.3/5", requestPseudo, "Sends a HEADERS frame with duplicated \":method\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders(), (":method", "GET")])));
        yield return Case("http2/8.1.2.3/6", requestPseudo, "Sends a HEADERS frame with duplicated \":scheme\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders(), (":scheme", "http")])));
        yield return Case("http2/8.1.2.3/7", requestPseudo, "Sends a HEADERS frame with duplicated \":path\" pseudo-header field", protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders(), (":path", "/")])));

        // §8.1.1: content-length must equal the sum of the DATA payloads.
        const string malformed = "RFC 9113 §8.1.1 (RFC 7540 §8.1.2.6)";
        yield return Case("http2/8.1.2.6/1", malformed, "Sends a HEADERS frame with the \"content-length\" header field which does not equal the DATA frame payload length",
            protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders("POST"), ("content-length", "1")], endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("http2/8.1.2.6/2", malformed,
            "Sends a HEADERS frame with the \"content-length\" header field which does not equal the sum of the multiple DATA frames payload length",
            protocolError,
            Send(c => c.Headers(1, [.. c.CommonHeaders("POST"), ("content-length", "1")], endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));

        // §8.4: a client cannot push; PUSH_PROMISE from it is a connection error PROTOCOL_ERROR.
        yield return Case("http2/8.2/1", "RFC 9113 §8.4 (RFC 7540 §8.2)", "Sends a PUSH_PROMISE frame", ConnectionError(Http2ErrorCode.ProtocolError),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(c => Http2ClientCodec.Frame(Http2FrameType.PushPromise, Http2FrameFlags.EndHeaders, 1, [0x00, 0x00, 0x00, 0x02, .. c.Block(c.CommonHeaders())])));
    }

    private static List<(string Name, string Value)> Without(List<(string Name, string Value)> fields, string name) =>
        fields.Where(f => f.Name != name).ToList();

    private static List<(string Name, string Value)> Replace(List<(string Name, string Value)> fields, string name, string value) =>
        fields.Select(f => f.Name == name ? (f.Name, value) : f).ToList();
}
