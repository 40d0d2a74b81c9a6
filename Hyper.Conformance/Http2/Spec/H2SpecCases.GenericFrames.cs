using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

// h2spec "generic/3.x": each frame type of RFC 9113 §6, used correctly, must be accepted.
public static partial class H2SpecCases
{
    private static IEnumerable<H2SpecCase> GenericFrames()
    {
        // §6.1 DATA
        yield return Case("generic/3.1/1", "RFC 9113 §6.1", "Sends a DATA frame", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("generic/3.1/2", "RFC 9113 §6.1", "Sends multiple DATA frames", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: false)),
            Send(Http2ClientCodec.Data(1, "test", endStream: true)));
        yield return Case("generic/3.1/3", "RFC 9113 §6.1", "Sends a DATA frame with padding", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(H2SpecContext.PaddedData(1, Ascii("test"), 8, endStream: true)));

        // §6.2 HEADERS
        yield return Case("generic/3.2/1", "RFC 9113 §6.2", "Sends a HEADERS frame", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("generic/3.2/2", "RFC 9113 §6.2", "Sends a HEADERS frame with padding", Response(1),
            Send(c => H2SpecContext.HeadersFrame(1, c.Block(c.CommonHeaders()), endStream: true, endHeaders: true, padding: 8)));
        yield return Case("generic/3.2/3", "RFC 9113 §6.2", "Sends a HEADERS frame with priority", Response(1),
            Send(c => H2SpecContext.HeadersFrame(1, c.Block(c.CommonHeaders()), endStream: true, endHeaders: true, priority: (0, 255, false))));

        // §6.3 PRIORITY: sent in any state, including idle or closed streams; ignored (§5.3.2).
        yield return Case("generic/3.3/1", "RFC 9113 §6.3", "Sends a PRIORITY frame with priority 1", Response(1),
            Send(H2SpecContext.Priority(1, 0, 0)), Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("generic/3.3/2", "RFC 9113 §6.3", "Sends a PRIORITY frame with priority 256", Response(1),
            Send(H2SpecContext.Priority(1, 0, 255)), Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("generic/3.3/3", "RFC 9113 §6.3", "Sends a PRIORITY frame with stream dependency", Response(1),
            Send(H2SpecContext.Priority(3, 1, 0)), Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("generic/3.3/4", "RFC 9113 §6.3", "Sends a PRIORITY frame with exclusive", Response(1),
            Send(H2SpecContext.Priority(1, 0, 0, exclusive: true)), Send(c => c.Headers(1, c.CommonHeaders())));
        yield return Case("generic/3.3/5", "RFC 9113 §6.3", "Sends a PRIORITY frame for an idle stream, then send a HEADER frame for a lower stream ID", Response(1),
            Send(H2SpecContext.Priority(3, 0, 255)), Send(c => c.Headers(1, c.CommonHeaders())));

        // §6.4 RST_STREAM
        yield return Accepted("generic/3.4/1", "RFC 9113 §6.4", "Sends a RST_STREAM frame",
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: false)),
            Send(Http2ClientCodec.RstStream(1, Http2ErrorCode.Cancel)));

        // §6.5 SETTINGS: each defined parameter, at a legal value, is acknowledged (§6.5.3).
        var settings = new (int Number, string Name, Http2SettingsParameter Id, uint Value)[]
        {
            (1, "SETTINGS_HEADER_TABLE_SIZE", Http2SettingsParameter.HeaderTableSize, 4096),
            (2, "SETTINGS_ENABLE_PUSH", Http2SettingsParameter.EnablePush, 0),
            (3, "SETTINGS_MAX_CONCURRENT_STREAMS", Http2SettingsParameter.MaxConcurrentStreams, 100),
            (4, "SETTINGS_INITIAL_WINDOW_SIZE", Http2SettingsParameter.InitialWindowSize, 65_535),
            (5, "SETTINGS_MAX_FRAME_SIZE", Http2SettingsParameter.MaxFrameSize, 16_384),
            (6, "SETTINGS_MAX_HEADER_LIST_SIZE", Http2SettingsParameter.MaxHeaderListSize, 65_535),
        };
        foreach (var (number, name, id, value) in settings)
            yield return Case($"generic/3.5/{number}", "RFC 9113 §6.5.2", $"Sends a {name}", SettingsAck(), Settings((id, value)));
        yield return Case("generic/3.5/7", "RFC 9113 §6.5", "Sends a SETTINGS frame without parameters", SettingsAck(), Settings());

        // §6.7 PING, §6.8 GOAWAY
        yield return Case("generic/3.7/1", "RFC 9113 §6.7", "Sends a PING frame", PingAck(ProbePayload), Send(H2SpecContext.Ping(ProbePayload)));
        yield return Case("generic/3.8/1", "RFC 9113 §6.8", "Sends a GOAWAY frame", PingAck(ProbePayload, closeAccepted: true),
            Send(Http2ClientCodec.GoAway(0, Http2ErrorCode.NoError)),
            Send(H2SpecContext.Ping(ProbePayload)));

        // §6.9 WINDOW_UPDATE
        yield return Accepted("generic/3.9/1", "RFC 9113 §6.9", "Sends a WINDOW_UPDATE frame with stream ID 0",
            Send(Http2ClientCodec.WindowUpdate(0, 1)));
        yield return Accepted("generic/3.9/2", "RFC 9113 §6.9", "Sends a WINDOW_UPDATE frame with arbitrary stream ID",
            Send(c => c.Headers(1, c.CommonHeaders("POST"), endStream: false)),
            Send(Http2ClientCodec.WindowUpdate(1, 1)));

        // §6.10 CONTINUATION
        yield return Case("generic/3.10/1", "RFC 9113 §6.10", "Sends a CONTINUATION frame", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
        yield return Case("generic/3.10/2", "RFC 9113 §6.10", "Sends multiple CONTINUATION frames", Response(1),
            Send(c => c.Headers(1, c.CommonHeaders(), endStream: true, endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: false)),
            Send(c => c.Continuation(1, H2SpecContext.DummyHeaders(1), endHeaders: true)));
    }
}
