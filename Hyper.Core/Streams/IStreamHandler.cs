using System.Buffers;
using Hyper.Core.Application;

namespace Hyper.Core.Streams;

/// <summary>
/// One request stream as its connection sees it: the connection hands it protocol news through these calls and
/// runs it with <see cref="RunAsync"/>. The ASGI HTTP stream is one kind; a WebSocket session or an ASP.NET Core
/// request would be others. The news calls come from the connection's owner (one at a time, with the connection
/// held) and must only record and wake: they never call back into the connection.
/// </summary>
public interface IStreamHandler
{
    /// <summary>The protocol's id for this stream (62-bit: QUIC's stream ids need them).</summary>
    long Id { get; }

    /// <summary>The response head is on the wire: a late rejection can then only abort the stream.</summary>
    bool ResponseStarted { get; }

    /// <summary>
    /// Nothing more is expected from the peer for this stream (its response is complete, or it was aborted): a
    /// read done on the stream's behalf may stop.
    /// </summary>
    bool IsOver { get; }

    /// <summary>The stream was aborted: commands for it are no longer applied.</summary>
    bool IsAborted { get; }

    /// <summary>News is waiting for the stream's work to take (body bytes, the body's end): a wait for input returns at once.</summary>
    bool HasInput { get; }

    /// <summary>Runs the stream's work (the application) to its end. Never throws for what the application did.</summary>
    Task RunAsync();

    /// <summary>
    /// Request body bytes. <paramref name="data"/> is only valid during the call (it points into the receive buffer).
    /// </summary>
    void OnBody(ReadOnlySequence<byte> data);

    /// <summary>The request body is complete.</summary>
    void OnBodyEnded(IReadOnlyList<HeaderField>? trailers);

    /// <summary>The peer abandoned the stream, or the connection is closing under it.</summary>
    void OnAborted();

    /// <summary>The protocol finished the stream (response written, request read).</summary>
    void OnCompleted();
}
