using Hyper.Core.Application;
using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

/// <summary>
/// One thing a stream asks its connection to do with the protocol. A value: submitting one allocates nothing.
/// <see cref="Body"/> must stay valid until the submit completes (the connection may write it then).
/// </summary>
public readonly record struct StreamCommand
{
    public StreamCommandKind Kind { get; private init; }
    public int Status { get; private init; }
    public IReadOnlyList<HeaderField>? Headers { get; private init; }
    public ReadOnlyMemory<byte> Body { get; private init; }
    public bool EndStream { get; private init; }
    public int Bytes { get; private init; }
    public RequestHead? PushRequest { get; private init; }
    public double Rate { get; private init; }
    public TimeSpan Grace { get; private init; }

    /// <summary>True when a <see cref="StreamCommandKind.StartResponse"/> carries the first body chunk (sent right after the head, in one write).</summary>
    public bool WithBody { get; private init; }

    /// <summary>
    /// The response head, with the first body chunk when <paramref name="withBody"/>; <paramref name="endStream"/>
    /// ends the response after it (with no body chunk, right after the head).
    /// </summary>
    public static StreamCommand StartResponse(int status, IReadOnlyList<HeaderField> headers, bool withBody, ReadOnlyMemory<byte> body, bool endStream) =>
        new() { Kind = StreamCommandKind.StartResponse, Status = status, Headers = headers, WithBody = withBody, Body = body, EndStream = endStream };

    public static StreamCommand CompleteResponse(int status, IReadOnlyList<HeaderField> headers, ReadOnlyMemory<byte> body) =>
        new() { Kind = StreamCommandKind.CompleteResponse, Status = status, Headers = headers, Body = body, EndStream = true };

    public static StreamCommand SendBody(ReadOnlyMemory<byte> data, bool endStream) =>
        new() { Kind = StreamCommandKind.Body, Body = data, EndStream = endStream };

    public static StreamCommand SendTrailers(IReadOnlyList<HeaderField> trailers) =>
        new() { Kind = StreamCommandKind.Trailers, Headers = trailers, EndStream = true };

    public static StreamCommand Informational(int status, IReadOnlyList<HeaderField> headers) =>
        new() { Kind = StreamCommandKind.Informational, Status = status, Headers = headers };

    public static StreamCommand Push(RequestHead request) => new() { Kind = StreamCommandKind.Push, PushRequest = request };

    public static StreamCommand BodyWanted() => new() { Kind = StreamCommandKind.BodyWanted };

    public static StreamCommand BodyConsumed(int bytes) => new() { Kind = StreamCommandKind.BodyConsumed, Bytes = bytes };

    public static StreamCommand MinRequestBodyRate(double bytesPerSecond, TimeSpan grace) =>
        new() { Kind = StreamCommandKind.MinRequestBodyRate, Rate = bytesPerSecond, Grace = grace };

    public static StreamCommand Abort() => new() { Kind = StreamCommandKind.Abort, EndStream = true };
}
