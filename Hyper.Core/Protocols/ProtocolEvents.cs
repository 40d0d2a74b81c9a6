using System.Buffers;
using Hyper.Core.Application;

namespace Hyper.Core.Protocols;

// The closed family of events a stream protocol (HTTP/1.1, HTTP/2) gives its driver.
// Events are past tense; see StreamProtocol for the commands that go the other way.

/// <summary>Something a protocol tells its connection driver.</summary>
public abstract record ProtocolEvent(long StreamId);

/// <summary>A request head arrived and passed validation: start an application call.</summary>
public sealed record RequestReceived(long StreamId, RequestHead Head) : ProtocolEvent(StreamId);

/// <summary>
/// Request body bytes. <see cref="Data"/> points into the receive buffer and is valid only until the next
/// call into the protocol: the driver copies it before it returns.
/// </summary>
public sealed record RequestBodyReceived(long StreamId, ReadOnlySequence<byte> Data) : ProtocolEvent(StreamId);

/// <summary>The request body is complete; <see cref="Trailers"/> holds accepted trailer fields, if any.</summary>
public sealed record RequestBodyEnded(long StreamId, IReadOnlyList<HeaderField>? Trailers) : ProtocolEvent(StreamId);

/// <summary>The client abandoned the stream (disconnect mid-request, RST_STREAM): the app gets <c>http.disconnect</c>.</summary>
public sealed record StreamAborted(long StreamId, string Reason) : ProtocolEvent(StreamId);

/// <summary>
/// The response on this stream has been written completely (and, for HTTP/1.1, the request fully read):
/// the stream is over and the application gets <c>http.disconnect</c> on its next receive.
/// </summary>
public sealed record StreamCompleted(long StreamId) : ProtocolEvent(StreamId);

/// <summary>
/// The peer sent something the protocol must refuse. The driver answers with <see cref="StatusCode"/>
/// through <see cref="IStreamProtocol.StartResponse"/> (which carries the server's Date and Server
/// headers) unless the protocol has no way to answer; the protocol then closes.
/// </summary>
public sealed record RequestRejected(long StreamId, int StatusCode, string Reason) : ProtocolEvent(StreamId);

/// <summary>
/// Response bytes held behind the peer's flow-control window went out (multiplexed protocols): a <c>send</c>
/// waiting for room may go on.
/// </summary>
public sealed record StreamWritable(long StreamId) : ProtocolEvent(StreamId);
