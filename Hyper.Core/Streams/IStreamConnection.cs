using Hyper.Core.Concurrency;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

/// <summary>
/// All a stream may ask of the connection it runs on. A stream never calls the protocol: it hands commands to the
/// connection, which owns the protocol and the output and applies them in order; it waits for request input and
/// for room to write through this interface too.
/// </summary>
public interface IStreamConnection
{
    /// <summary>What every connection of the server shares: options, the application, logs, the clock.</summary>
    ServerContext Server { get; }

    /// <summary>Addresses and TLS details of this connection.</summary>
    ConnectionInfo Info { get; }

    /// <summary>The connection's task scope: a stream's own task groups are children of it.</summary>
    ITaskScope Scope { get; }

    /// <summary>True when the connection carries many streams at once (each stream then runs as its own task).</summary>
    bool IsMultiplexed { get; }

    /// <summary>True when stream <paramref name="streamId"/> may push responses (a client that allows push, on a stream it opened).</summary>
    bool CanPush(long streamId);

    /// <summary>
    /// Hands <paramref name="command"/> for <paramref name="stream"/> to the connection. Completes once the command
    /// is applied and its output drained far enough to write more (the backpressure a <c>send</c> must feel).
    /// Returns false, without applying it, when the stream was aborted; throws
    /// <see cref="Application.ClientDisconnectedException"/> when the connection failed while writing.
    /// </summary>
    ValueTask<bool> SubmitAsync(IStreamHandler stream, StreamCommand command);

    /// <summary>
    /// Waits until there is news for <paramref name="stream"/> (request body, its end, an abort, the response's
    /// completion). Returns false when no more input can come on this connection.
    /// </summary>
    ValueTask<bool> WaitForInputAsync(IStreamHandler stream);

    /// <summary>
    /// Makes a <see cref="WaitForInputAsync"/> of <paramref name="stream"/> that is in progress (or the next one) return
    /// soon, so the stream can attend to news of its own: a timer it set, something its application did. The stream
    /// should report <see cref="IStreamHandler.HasInput"/> until it has looked. Safe to call from any thread.
    /// </summary>
    void Wake(IStreamHandler stream);
}
