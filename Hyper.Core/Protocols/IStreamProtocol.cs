using System.Buffers;
using Hyper.Core.Application;

namespace Hyper.Core.Protocols;

/// <summary>
/// A sans-IO protocol over a byte stream (HTTP/1.1, HTTP/2): bytes in, events out; commands in, bytes out.
/// It is synchronous, owns no thread, reads no clock and takes no lock: time arrives as <c>now</c>
/// (see <see cref="MonotonicTime"/>) and every output goes into the <see cref="IBufferWriter{T}"/> the
/// caller passes. One connection driver owns each instance and serialises every call.
/// </summary>
public interface IStreamProtocol
{
    /// <summary>
    /// Feeds received bytes (everything buffered and not yet consumed). Returns the position up to which
    /// bytes were consumed; the caller keeps the rest and feeds it again with more appended.
    /// Events are queued; take them with <see cref="TryDequeueEvent"/>.
    /// </summary>
    SequencePosition Receive(in ReadOnlySequence<byte> data, long now, IBufferWriter<byte> output);

    /// <summary>The peer closed its sending side (EOF).</summary>
    void ReceiveCompleted(long now, IBufferWriter<byte> output);

    /// <summary>Takes the next queued event.</summary>
    bool TryDequeueEvent(out ProtocolEvent? protocolEvent);

    /// <summary>Starts the response on a stream. With <paramref name="endStream"/> no body follows.</summary>
    void StartResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, bool endStream, long now, IBufferWriter<byte> output);

    /// <summary>
    /// Starts the response and sends its whole body at once: the protocol may frame it with a known length
    /// (Content-Length) instead of chunks.
    /// </summary>
    void SendCompleteResponse(long streamId, int status, IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> body, long now, IBufferWriter<byte> output);

    /// <summary>Sends response body bytes; <paramref name="endStream"/> ends the response.</summary>
    void SendBody(long streamId, ReadOnlySpan<byte> data, bool endStream, long now, IBufferWriter<byte> output);

    /// <summary>Sends response trailers and ends the response.</summary>
    void SendTrailers(long streamId, IReadOnlyList<HeaderField> trailers, long now, IBufferWriter<byte> output);

    /// <summary>Sends an interim (1xx) response, e.g. 103 Early Hints.</summary>
    void SendInformational(long streamId, int status, IReadOnlyList<HeaderField> headers, IBufferWriter<byte> output);

    /// <summary>
    /// The application has started to read the body: a protocol that holds back <c>100 Continue</c>
    /// (RFC 9110 §10.1.1) sends it now.
    /// </summary>
    void RequestBodyWanted(long streamId, long now, IBufferWriter<byte> output);

    /// <summary>
    /// Changes the minimum request body rate for one request (ASP.NET Core's <c>IHttpMinRequestBodyDataRateFeature</c>):
    /// <paramref name="bytesPerSecond"/> after <paramref name="grace"/>, 0 for no minimum. A protocol without a body
    /// rate rule ignores it.
    /// </summary>
    void SetMinRequestBodyRate(long streamId, double bytesPerSecond, TimeSpan grace, long now) { }

    /// <summary>Abandons a stream mid-response (the application failed after starting): HTTP/1.1 closes the connection, HTTP/2 resets the stream.</summary>
    void AbortStream(long streamId, IBufferWriter<byte> output);

    /// <summary>Graceful shutdown: finish what is in flight, accept no new requests, close when idle.</summary>
    void BeginShutdown(long now, IBufferWriter<byte> output);

    /// <summary>The deadline reported by <see cref="NextDeadline"/> has passed.</summary>
    void OnTimer(long now, IBufferWriter<byte> output);

    /// <summary>When <see cref="OnTimer"/> wants to be called, or <see cref="long.MaxValue"/>.</summary>
    long NextDeadline { get; }

    /// <summary>False while the protocol will not consume more input (e.g. HTTP/1.1 waiting for a response before reading the next pipelined request).</summary>
    bool WantsInput { get; }

    /// <summary>True once the connection must close after the output written so far has been flushed.</summary>
    bool ShouldClose { get; }
}
