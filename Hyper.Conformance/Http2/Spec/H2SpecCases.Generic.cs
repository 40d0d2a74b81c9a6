using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "generic": what any server must accept — the preface, each frame type used correctly, plain request and
// response exchanges, and every HPACK representation (RFC 9113 §3–§8, RFC 7541 §6).
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> Generic()
    {
        yield return Case("generic/1/1", "RFC 9113 §3.4", "Sends a client connection preface",
            new H2SpecExpectation.Frame("SETTINGS without ACK (the server preface)", f => f.Type == Http2FrameType.Settings && !f.Has(Http2FrameFlags.Ack)),
            Send(Http2ClientCodec.Hello())) with { SkipHandshake = true };

        // RFC 9113 §5.1: PRIORITY is allowed in every state; WINDOW_UPDATE, PRIORITY and RST_STREAM in half-closed (remote).
        yield return Accepted("generic/2/1", "RFC 9113 §5.1", "Sends a PRIORITY frame on idle stream",
            Send(H2SpecContext.Priority(1, 0, 255)));
        yield return Case("generic/2/2", "RFC 9113 §5.1", "Sends a WINDOW_UPDATE frame on half-closed (remote) stream", AnyData(1),
            Settings((Http2SettingsParameter.InitialWindowSize, 0)),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Send(Http2ClientCodec.WindowUpdate(1, 1)));
        yield return Case("generic/2/3", "RFC 9113 §5.1", "Sends a PRIORITY frame on half-closed (remote) stream", AnyData(1),
            Settings((Http2SettingsParameter.InitialWindowSize, 0)),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Send(H2SpecContext.Priority(1, 0, 255)),
            Send(Http2ClientCodec.WindowUpdate(1, 1)));
        yield return Case("generic/2/4", "RFC 9113 §5.1", "Sends a RST_STREAM frame on half-closed (remote) stream", PingAck(ProbePayload, closeAccepted: true),
            Send(c => c.Headers(1, c.CommonHeaders())),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)),
            Send(H2SpecContext.Ping(ProbePayload)));
        yield return Accepted("generic/2/5", "RFC 9113 §5.1", "Sends a PRIORITY frame on closed stream",
            Send(c => c.Headers(1, c.CommonHeaders())),
            AwaitStreamEnd(1),
            Send(H2SpecContext.Priority(1, 0, 255)));

        // RFC 9113 §8.1: request and response exchanges, with and without bodies and trailers.
        yield return Case("generic/4/1", "RFC 9113 §8.1", "Sends a GET request", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("generic/4/2", "RFC 9113 §8.1", "Sends a HEAD request", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders("HEAD"))));
        yield return Case("generic/4/3", "RFC 9113 §8.1", "Sends a POST request", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("generic/4/4", "RFC 9113 §8.1", "Sends a POST request with trailers", Response(1),
            Send(c => c.Headers(1, [.. c.CommonHeaders("POST"), ("trailer", "x-test")], endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: false)),
            Send(c => c.Headers(1, [("x-test", "ok")], endStream: true)));

        // RFC 7541 §6: each representation appended to the common request block must be accepted.
        foreach (var (number, description, representation) in HpackRepresentations)
        {
            yield return Case($"generic/5/{number}", "RFC 7541 §6", description, Response(1),
                Send(c => H2SpecContext.HeadersFrame(1, [.. c.Block(c.CommonHeaders()), .. representation], endStream: true, endHeaders: true)));
        }
        // RFC 7541 §4.2, §6.3: size updates (0, then back to 4096) at the start of a block.
        yield return Case("generic/5/14", "RFC 7541 §6.3", "Sends a dynamic table size update", Response(1),
            Send(c => H2SpecContext.HeadersFrame(1, [0x20, .. c.Block(c.CommonHeaders())], endStream: true, endHeaders: true)));
        yield return Case("generic/5/15", "RFC 7541 §4.2", "Sends multiple dynamic table size update", Response(1),
            Send(c => H2SpecContext.HeadersFrame(1, [0x20, 0x3f, 0xe1, 0x1f, .. c.Block(c.CommonHeaders())], endStream: true, endHeaders: true)));
    }

    /// <summary>h2spec's generic/5/1–13 representations: <c>user-agent: h2spec</c> by index or literal, <c>x-test: h2spec</c> new name.</summary>
    private static readonly (int Number, string Description, byte[] Representation)[] HpackRepresentations =
    [
        (1, "Sends a indexed header field representation", [0xba]),
        (2, "Sends a literal header field with incremental indexing - indexed name", [0x7a, 0x06, .. "h2spec"u8]),
        (3, "Sends a literal header field with incremental indexing - indexed name (with Huffman coding)", [0x7a, 0x84, 0x9c, 0x48, 0xac, 0xa4]),
        (4, "Sends a literal header field with incremental indexing - new name", [0x40, 0x06, .. "x-test"u8, 0x06, .. "h2spec"u8]),
        (5, "Sends a literal header field with incremental indexing - new name (with Huffman coding)", [0x40, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4]),
        (6, "Sends a literal header field without indexing - indexed name", [0x0f, 0x2b, 0x06, .. "h2spec"u8]),
        (7, "Sends a literal header field without indexing - indexed name (with Huffman coding)", [0x0f, 0x2b, 0x84, 0x9c, 0x48, 0xac, 0xa4]),
        (8, "Sends a literal header field without indexing - new name", [0x00, 0x06, .. "x-test"u8, 0x06, .. "h2spec"u8]),
        (9, "Sends a literal header field without indexing - new name (huffman encoded)", [0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4]),
        (10, "Sends a literal header field never indexed - indexed name", [0x1f, 0x2b, 0x06, .. "h2spec"u8]),
        (11, "Sends a literal header field never indexed - indexed name (huffman encoded)", [0x1f, 0x2b, 0x84, 0x9c, 0x48, 0xac, 0xa4]),
        (12, "Sends a literal header field never indexed - new name", [0x10, 0x06, .. "x-test"u8, 0x06, .. "h2spec"u8]),
        (13, "Sends a literal header field never indexed - new name (huffman encoded)", [0x10, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x9c, 0x48, 0xac, 0xa4]),
    ];
}
