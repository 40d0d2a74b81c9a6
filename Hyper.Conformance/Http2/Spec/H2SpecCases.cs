using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// The frame-level conformance suite: every case group h2spec has (generic, http2 §3.5–§8.2 in RFC 7540's
/// numbering, hpack), each case retyped from h2spec's description and the RFC sentence it checks, the citation
/// mapped to RFC 9113 where the numbering moved. The partial files hold one family of groups each.
/// </summary>
public static partial class H2SpecCases
{
    /// <summary>The 8-octet payload of the PING that shows a connection is still usable.</summary>
    public const string ProbePayload = "h2spec";

    private static readonly Lazy<IReadOnlyList<H2SpecCase>> AllCases = new(() =>
        [.. Generic(), .. GenericFrames(), .. Connection(), .. StreamStates(), .. FrameDefinitions(), .. ControlFrames(), .. HttpSemantics(), .. Hpack()]);

    public static IReadOnlyList<H2SpecCase> All => AllCases.Value;

    public static H2SpecCase Named(string id) => All.Single(c => c.Id == id);

    private static H2SpecCase Case(string id, string section, string description, H2SpecExpectation expected, params H2SpecStep[] steps) =>
        new(id, section, description, steps, expected);

    /// <summary>A case whose frames must be accepted: a PING follows them and must be answered (§6.7).</summary>
    private static H2SpecCase Accepted(string id, string section, string description, params H2SpecStep[] steps) =>
        Case(id, section, description, PingAck(ProbePayload), [.. steps, Send(H2SpecContext.Ping(ProbePayload))]);

    private static H2SpecStep Send(Func<H2SpecContext, byte[]> build) => new H2SpecStep.Send(build);

    private static H2SpecStep Send(byte[] bytes) => new H2SpecStep.Send(_ => bytes);

    private static H2SpecStep Settings(params (Http2SettingsParameter, uint)[] settings) => Send(Http2ClientCodec.Settings(settings));

    /// <summary>h2spec's <c>VerifyEventType(SETTINGS)</c> after sending one: the server's ACK (§6.5.3).</summary>
    private static H2SpecStep AwaitSettingsAck() =>
        new H2SpecStep.AwaitFrame("SETTINGS with ACK", f => f.Type == Http2FrameType.Settings && f.Has(Http2FrameFlags.Ack));

    /// <summary>h2spec's <c>VerifyStreamClose</c>: a DATA or HEADERS frame with END_STREAM.</summary>
    private static H2SpecStep AwaitStreamEnd(int streamId) =>
        new H2SpecStep.AwaitFrame($"END_STREAM on stream {streamId}", f => f.StreamId == streamId && f.EndStream);

    private static H2SpecStep AwaitData(int streamId) =>
        new H2SpecStep.AwaitFrame($"DATA on stream {streamId}", f => f.Type == Http2FrameType.Data && f.StreamId == streamId);

    private static H2SpecExpectation ConnectionError(params Http2ErrorCode[] codes) => new H2SpecExpectation.ConnectionError(codes);

    private static H2SpecExpectation StreamError(params Http2ErrorCode[] codes) => new H2SpecExpectation.StreamError(codes);

    /// <summary>The response to a request: HEADERS with <c>:status 200</c> on the stream, not a reset of it.</summary>
    private static H2SpecExpectation Response(int streamId) => new H2SpecExpectation.Frame(
        $"HEADERS with :status 200 on stream {streamId}",
        f => f.Type == Http2FrameType.Headers && f.StreamId == streamId && f.Header(":status") == "200",
        f => f.Type == Http2FrameType.RstStream && f.StreamId == streamId);

    private static H2SpecExpectation SettingsAck() => new H2SpecExpectation.Frame(
        "SETTINGS with ACK", f => f.Type == Http2FrameType.Settings && f.Has(Http2FrameFlags.Ack));

    /// <summary>§6.7: a PING ACK with the same payload; an ACK with any other payload contradicts.</summary>
    private static H2SpecExpectation PingAck(string payload, bool closeAccepted = false)
    {
        var expected = H2SpecContext.PingPayload(payload);
        return new H2SpecExpectation.Frame(
            $"PING with ACK and payload \"{payload}\"",
            f => f.Type == Http2FrameType.Ping && f.Has(Http2FrameFlags.Ack) && f.Payload.AsSpan().SequenceEqual(expected),
            f => f.Type == Http2FrameType.Ping && f.Has(Http2FrameFlags.Ack),
            closeAccepted);
    }

    /// <summary>The first DATA frame on the stream, which must be exactly <paramref name="length"/> octets (§6.9.1).</summary>
    private static H2SpecExpectation DataOfLength(int streamId, int length) => new H2SpecExpectation.Frame(
        $"DATA of {length} octet(s) on stream {streamId}",
        f => f.Type == Http2FrameType.Data && f.StreamId == streamId && f.Payload.Length == length,
        f => f.Type == Http2FrameType.Data && f.StreamId == streamId || f.Type == Http2FrameType.RstStream && f.StreamId == streamId);

    private static H2SpecExpectation AnyData(int streamId) => new H2SpecExpectation.Frame(
        $"DATA on stream {streamId}",
        f => f.Type == Http2FrameType.Data && f.StreamId == streamId,
        f => f.Type == Http2FrameType.RstStream && f.StreamId == streamId);

    private static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
