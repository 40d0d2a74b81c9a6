using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Client;

/// <summary>
/// A frame the client read from the server. For HEADERS / PUSH_PROMISE (with their CONTINUATIONs folded in),
/// <see cref="Headers"/> holds the decoded fields; for RST_STREAM and GOAWAY, <see cref="ErrorCode"/> the code.
/// </summary>
public sealed record ReceivedFrame(Http2FrameType Type, Http2FrameFlags Flags, int StreamId, byte[] Payload)
{
    public IReadOnlyList<(string Name, string Value)>? Headers { get; init; }

    public Http2ErrorCode? ErrorCode { get; init; }

    /// <summary>GOAWAY's last stream id.</summary>
    public int? LastStreamId { get; init; }

    public bool Has(Http2FrameFlags flag) => (Flags & flag) != 0;

    public bool EndStream => Type is Http2FrameType.Data or Http2FrameType.Headers && Has(Http2FrameFlags.EndStream);

    public string? Header(string name) => Headers?.FirstOrDefault(h => h.Name == name).Value;

    public override string ToString() => Type switch
    {
        Http2FrameType.Headers => $"HEADERS[{StreamId}] {string.Join(", ", Headers?.Select(h => $"{h.Name}: {h.Value}") ?? [])}{(EndStream ? " END_STREAM" : "")}",
        Http2FrameType.RstStream => $"RST_STREAM[{StreamId}] {ErrorCode}",
        Http2FrameType.GoAway => $"GOAWAY last={LastStreamId} {ErrorCode}",
        _ => $"{Type}[{StreamId}] flags={Flags} length={Payload.Length}",
    };
}
