using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Hyper.Core.Concurrency;
using Hyper.Core.Transport;

namespace Hyper.Transport.Sockets;

/// <summary>
/// A connected socket moved through two pipes (Kestrel's SocketConnection shape): a receive loop fills
/// <see cref="IDuplexPipe.Input"/>, a send loop drains <see cref="IDuplexPipe.Output"/>, and the pipes' pause
/// thresholds give backpressure both ways.
/// <para>
/// Where the loops run is the backend's choice. Given an I/O scope (the structured backend's per-connection task
/// group) both loops are tasks of that scope and pass its <see cref="ITaskScope.Token"/> to every socket read,
/// socket write and pipe flush, so <see cref="Abort"/> stops the I/O where it stands, and
/// <see cref="DisposeAsync"/> closes the scope: the loops never outlive the connection. Without one (the
/// thread-pool backend) the loops are plain thread-pool tasks that stop when the socket or the pipes close.
/// </para>
/// </summary>
public sealed class SocketConnection : ITransportConnection, IDuplexPipe
{
    // 64 KiB of unflushed response data before writers wait: docs/security.md SL-03 (Kestrel's MaxResponseBufferSize).
    private const long OutputPauseThreshold = 64 * 1024;
    private const long InputPauseThreshold = 1024 * 1024;
    private const int MinReceiveBuffer = 4096;

    // How long a closing connection keeps draining unread input so the close is a FIN, not a reset that
    // destroys the response in flight (the lingering close of RFC 9112 §9.6).
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly ITaskScope? _io;
    private readonly TimeProvider _time;
    private readonly Pipe _input;
    private readonly Pipe _output;
    // Signalled by the loops themselves: a scope's Spawn gives no task back, and a loop that has ended must be
    // observable the same way whoever runs it.
    private readonly TaskCompletionSource _receiveEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sendEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _aborted;

    /// <summary>Starts moving bytes between <paramref name="socket"/> and the pipes.</summary>
    /// <param name="socket">A connected socket; the connection owns it from now on.</param>
    /// <param name="io">
    /// The scope the two I/O loops run in, owned by the connection: it is cancelled by <see cref="Abort"/> and
    /// closed at the end of <see cref="DisposeAsync"/>. Null runs the loops on the thread pool without a token.
    /// </param>
    /// <param name="time">The clock the lingering close is timed on; <see cref="TimeProvider.System"/> when null.</param>
    public SocketConnection(Socket socket, ITaskScope? io = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _io = io;
        _time = time ?? TimeProvider.System;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        _acknowledged = TcpAcknowledgedBytes.TryCreate(socket);
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: InputPauseThreshold, resumeWriterThreshold: InputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: OutputPauseThreshold, resumeWriterThreshold: OutputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        Start(ReceiveLoopAsync);
        Start(SendLoopAsync);
    }

    public IDuplexPipe Transport => this;
    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _output.Writer;
    public EndPoint? RemoteEndPoint { get; }
    public EndPoint? LocalEndPoint { get; }

    private void Start(Func<CancellationToken, Task> loop)
    {
        if (_io is not null)
        {
            _io.Spawn(loop);
            return;
        }
        // Off the accepting thread either way; the loops report their end through _receiveEnded/_sendEnded
        // and never throw, so the task itself need not be kept.
        CallbackGuard.Forget(Task.Run(() => loop(CancellationToken.None), CancellationToken.None), "socket I/O loop");
    }

    private async Task ReceiveLoopAsync(CancellationToken token)
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinReceiveBuffer);
                var read = await _socket.ReceiveAsync(memory, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0) break;
                writer.Advance(read);
                var flush = await writer.FlushAsync(token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    await DiscardUntilPeerClosesAsync(token).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException) { }
        catch (Exception ex) { error = ex; }
        finally
        {
            try { await writer.CompleteAsync(error).ConfigureAwait(false); }
            finally { _receiveEnded.TrySetResult(); }
        }
    }

    /// <summary>
    /// Lingering close: once the reader is gone, keep reading and dropping bytes until the peer closes, so that
    /// closing a socket with unread input does not turn into a reset that destroys the response in flight
    /// (e.g. a 400 followed by pipelined bytes). <see cref="DisposeAsync"/> bounds how long this may take.
    /// </summary>
    private async Task DiscardUntilPeerClosesAsync(CancellationToken token)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(MinReceiveBuffer);
        try
        {
            while (await _socket.ReceiveAsync(scratch.AsMemory(), SocketFlags.None, token).ConfigureAwait(false) > 0) { }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task SendLoopAsync(CancellationToken token)
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    if (buffer.IsSingleSegment)
                    {
                        await SendAsync(buffer.First, token).ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var segment in buffer) await SendAsync(segment, token).ConfigureAwait(false);
                    }
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
            ShutdownSend();
        }
        // The peer is gone mid-response: make the close a reset rather than leave the rest of it pending.
        catch (SocketException) { Abort(); }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException) { }
        finally
        {
            try { await reader.CompleteAsync().ConfigureAwait(false); }
            finally { _sendEnded.TrySetResult(); }
        }
    }

    private long _bytesSent;
    private readonly TcpAcknowledgedBytes? _acknowledged;

    /// <summary>Bytes handed to the kernel's send call so far (a send still in progress included).</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>What the peer acknowledged, from the kernel (TCP on Linux); -1 elsewhere (docs/security.md SL-03).</summary>
    public long BytesAcknowledged => _acknowledged?.Read() ?? -1;

    /// <summary>
    /// Sends one segment whole. It counts as sent when handed to the kernel, before the call returns: a send blocked
    /// on a full socket buffer then shows as bytes sent but not acknowledged, which is what tells the rate clock that
    /// the connection waits on its client (SocketAsyncEventArgs reports no partial progress).
    /// </summary>
    private ValueTask<int> SendAsync(ReadOnlyMemory<byte> segment, CancellationToken token)
    {
        // Only the send loop writes the count; the driver's rate timer reads it from another thread.
        Volatile.Write(ref _bytesSent, _bytesSent + segment.Length);
        return _socket.SendAsync(segment, SocketFlags.None, token);
    }

    private void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            // Linger 0 turns the close into a reset: the peer learns at once that the response is incomplete.
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        _io?.Cancel();
        _socket.Dispose();
        if (_io is null)
        {
            // No token reaches the loops here: end the input and wake the send loop by hand, so neither the
            // driver nor the send loop waits on a pipe that the closed socket will never serve again.
            _input.Writer.Complete();
            _output.Reader.CancelPendingRead();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The driver has completed the output writer: the send loop flushes what is left and sends FIN.
        await _sendEnded.Task.ConfigureAwait(false);
        try
        {
            await _receiveEnded.Task.WaitAsync(LingerTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        _io?.Cancel();
        _socket.Dispose();
        // A receive loop parked on a full input pipe (a reader that stopped reading) is not woken by closing the
        // socket; without a token this is what ends it.
        _input.Writer.CancelPendingFlush();
        await _receiveEnded.Task.ConfigureAwait(false);
        if (_io is not null) await _io.CloseAsync().ConfigureAwait(false);
    }
}
