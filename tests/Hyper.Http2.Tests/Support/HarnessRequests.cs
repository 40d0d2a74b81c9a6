using Hyper.Conformance.Http2.Client;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2.Tests.Support;

/// <summary>Request shapes and event queries the connection tests repeat, on top of <see cref="Http2Harness"/>.</summary>
internal static class HarnessRequests
{
    /// <summary>A harness already past the handshake, with these limits and settings.</summary>
    public static Http2Harness Ready(Http2Limits? limits = null, Func<Http2ConnectionSettings, Http2ConnectionSettings>? configure = null)
    {
        var settings = Http2Harness.DefaultSettings(limits);
        return new Http2Harness(configure?.Invoke(settings) ?? settings).Handshake();
    }

    /// <summary>HEADERS for a request with a body to follow (no END_STREAM).</summary>
    public static void Post(this Http2Harness h, int streamId, string path = "/upload", long? contentLength = null, params (string, string)[] extra)
    {
        var fields = Http2ClientCodec.Request(path, "POST", extra: extra);
        if (contentLength is { } length) fields.Add(("content-length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        h.Send(h.Client.Headers(streamId, fields, endStream: false));
    }

    /// <summary>HEADERS carrying exactly these fields (no request pseudo-headers added).</summary>
    public static void Raw(this Http2Harness h, int streamId, IEnumerable<(string, string)> fields, bool endStream = true) =>
        h.Send(h.Client.Headers(streamId, fields, endStream));

    public static void Data(this Http2Harness h, int streamId, int length, bool endStream) =>
        h.Send(Http2ClientCodec.Data(streamId, new byte[length], endStream));

    /// <summary>Starts a streamed response (HEADERS only) as the stream layer would.</summary>
    public static void StartResponse(this Http2Harness h, int streamId, int status = 200) =>
        h.Do((c, o) => c.StartResponse(streamId, status, [HeaderField.Of("content-type", "application/octet-stream")], endStream: false, h.Now, o));

    public static void Body(this Http2Harness h, int streamId, int length, bool endStream) =>
        h.Do((c, o) => c.SendBody(streamId, new byte[length], endStream, h.Now, o));

    public static void HandlerDone(this Http2Harness h, int streamId) => h.Do((c, o) => c.HandlerCompleted(streamId, o));

    public static RequestHead? RequestOn(this IEnumerable<ProtocolEvent> events, int streamId) =>
        events.OfType<RequestReceived>().FirstOrDefault(e => e.StreamId == streamId)?.Head;

    public static string? Header(this RequestHead head, string name) =>
        head.Headers.Where(f => f.Name.Span.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(name)))
            .Select(f => System.Text.Encoding.Latin1.GetString(f.Value.Span)).FirstOrDefault();

    public static long DataBytes(this IEnumerable<ReceivedFrame> frames, int streamId) =>
        frames.Where(f => f.Type == Http2FrameType.Data && f.StreamId == streamId).Sum(f => (long)f.Payload.Length);

    public static IEnumerable<ReceivedFrame> OfType(this IEnumerable<ReceivedFrame> frames, Http2FrameType type) =>
        frames.Where(f => f.Type == type);

    /// <summary>The response HEADERS (not an interim 1xx) on a stream.</summary>
    public static ReceivedFrame? ResponseHeaders(this IEnumerable<ReceivedFrame> frames, int streamId) =>
        frames.FirstOrDefault(f => f.Type == Http2FrameType.Headers && f.StreamId == streamId && f.Header(":status") is { } s && s[0] != '1');

    /// <summary>Serves a GET on <paramref name="streamId"/> end to end: the connection is still usable.</summary>
    public static void ShouldServe(this Http2Harness h, int streamId)
    {
        h.TakeFrames();
        h.Get(streamId, "/still-served");
        var events = h.TakeEvents();
        events.RequestOn(streamId).Should().NotBeNull("a normal request after the fault is still served");
        h.Respond(streamId, 200, "fine");
        h.HandlerDone(streamId);
        var frames = h.TakeFrames();
        frames.ResponseHeaders(streamId)!.Header(":status").Should().Be("200");
        frames.Should().Contain(f => f.Type == Http2FrameType.Data && f.StreamId == streamId && f.EndStream);
        h.Connection.ShouldClose.Should().BeFalse();
    }
}
