using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Hyper.Backends.SingleThreadLoop.Interop;
using Hyper.Core.Transport;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// A non-blocking socket owned by one loop, moved through two pipes. Readiness drives it: on EPOLLIN the loop
/// receives straight into the input pipe and flushes (Core's pending read resumes inline, on the loop); a flush
/// of the output pipe wakes the send side on the loop, which calls send(2) at once and only waits for EPOLLOUT
/// when the kernel buffer is full. No ReceiveAsync/SendAsync: those complete on .NET's IO threads.
///
/// Every field below is touched on the loop thread only; <see cref="Abort"/> and <see cref="DisposeAsync"/> may be
/// called from anywhere and post to the loop.
/// </summary>
internal sealed partial class LoopSocketConnection : ITransportConnection, IDuplexPipe, IReadinessHandler
{
    // Same thresholds as the thread-pool backend. 64 KiB of unflushed response data before writers wait:
    // docs/security.md SL-03 (Kestrel's MaxResponseBufferSize); 1 MiB of unread request data before we stop reading.
    private const long OutputPauseThreshold = 64 * 1024;
    private const long InputPauseThreshold = 1024 * 1024;
    private const int MinReceiveBuffer = 4096;
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly EventLoop _loop;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Task _sending;
    private readonly TaskCompletionSource _socketClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _interest;
    private bool _registered;
    private bool _inputPaused;
    private bool _inputDone;
    private bool _discarding;
    private bool _closeRequested;
    private bool _closed;
    private int _aborted;
    private ITimer? _lingerTimer;

    /// <summary>Takes ownership of an accepted socket. Loop thread only.</summary>
    public LoopSocketConnection(EventLoop loop, Socket socket)
    {
        _loop = loop;
        _socket = socket;
        socket.Blocking = false;
        _fd = (int)socket.Handle;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        _acknowledged = TcpAcknowledgedBytes.TryCreate(socket);
        // Readers resume inline where the pipe is completed (the loop); writers that wait are resumed on the loop
        // even when the other side advanced from another thread.
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: InputPauseThreshold, resumeWriterThreshold: InputPauseThreshold / 2,
            readerScheduler: PipeScheduler.Inline, writerScheduler: loop.PipeScheduler, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: OutputPauseThreshold, resumeWriterThreshold: OutputPauseThreshold / 2,
            readerScheduler: loop.PipeScheduler, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        UpdateInterest();
        _sending = SendLoopAsync();
    }

    public IDuplexPipe Transport => this;
    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _output.Writer;
    public EndPoint? RemoteEndPoint { get; }
    public EndPoint? LocalEndPoint { get; }

    /// <summary>The loop that owns this connection.</summary>
    internal EventLoop Loop => _loop;

    public void OnReady(uint events)
    {
        if (_closed) return;
        if ((events & (LinuxEpoll.EPOLLIN | LinuxEpoll.EPOLLHUP | LinuxEpoll.EPOLLERR)) != 0 && WantsInput) OnReadable();
        if (_closed) return;
        if ((events & (LinuxEpoll.EPOLLOUT | LinuxEpoll.EPOLLHUP | LinuxEpoll.EPOLLERR)) != 0) OnWritable();
    }

    private bool WantsInput => !_inputDone && !_inputPaused && !_closed;

    private void OnReadable()
    {
        if (_discarding)
        {
            Discard();
            return;
        }
        var writer = _input.Writer;
        while (true)
        {
            var memory = writer.GetMemory(MinReceiveBuffer);
            var read = _socket.Receive(memory.Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) return;
            if (error != SocketError.Success || read == 0)
            {
                // Peer closed its side (RFC 9293 FIN), or reset: Core sees the end of input.
                EndInput();
                return;
            }
            writer.Advance(read);
            // Completing the flush resumes Core's pending read inline: the request is parsed and the application
            // runs right here, on the loop. It may abort or finish this connection before the flush returns.
            var flush = writer.FlushAsync();
            if (_closed || _inputDone) return;
            if (!flush.IsCompleted)
            {
                _inputPaused = true;
                UpdateInterest();
                CallbackGuard.Forget(ResumeAfterFlushAsync(flush), "event loop socket flush");
                return;
            }
            if (flush.Result.IsCompleted)
            {
                StartDiscarding();
                return;
            }
            // A short read emptied the socket; epoll (level-triggered) tells us when more arrives.
            if (read < memory.Length) return;
        }
    }

    /// <summary>Backpressure: Core has 1 MiB unread; stop reading until it catches up (resumed on the loop).</summary>
    private async Task ResumeAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        var result = await flush.ConfigureAwait(false);
        _inputPaused = false;
        if (_closed || _inputDone) return;
        if (result.IsCompleted) StartDiscarding();
        UpdateInterest();
    }

    private void EndInput()
    {
        if (_inputDone) return;
        _inputDone = true;
        UpdateInterest();
        _input.Writer.Complete();
        if (_closeRequested) CloseSocket();
    }

    /// <summary>
    /// Lingering close: once Core stops reading, keep reading and dropping bytes until the peer closes, so closing
    /// a socket with unread input does not turn into a reset that destroys the response in flight (e.g. a 400
    /// followed by pipelined bytes). The close bounds how long this may take.
    /// </summary>
    private void StartDiscarding()
    {
        if (_discarding || _inputDone) return;
        _discarding = true;
        _input.Writer.Complete();
        UpdateInterest();
    }

    private void Discard()
    {
        Span<byte> scratch = stackalloc byte[MinReceiveBuffer];
        while (true)
        {
            var read = _socket.Receive(scratch, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) return;
            if (error != SocketError.Success || read == 0) break;
        }
        _inputDone = true;
        UpdateInterest();
        if (_closeRequested) CloseSocket();
    }

    /// <summary>Tells epoll what this connection waits for; a connection that waits for nothing leaves epoll
    /// altogether, so a hang-up (always reported) cannot spin the loop while input is paused.</summary>
    private void UpdateInterest()
    {
        if (_closed) return;
        var wanted = (WantsInput ? LinuxEpoll.EPOLLIN : 0) | (_writeWaiting ? LinuxEpoll.EPOLLOUT : 0);
        if (wanted == _interest && (_registered || wanted == 0)) return;
        _interest = wanted;
        if (wanted == 0)
        {
            if (_registered) _loop.Unregister(_fd);
            _registered = false;
        }
        else if (_registered)
        {
            _loop.Modify(_fd, wanted);
        }
        else
        {
            _loop.Register(_fd, wanted, this);
            _registered = true;
        }
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        _loop.Run(static s => ((LoopSocketConnection)s!).AbortOnLoop(), this);
    }

    private void AbortOnLoop()
    {
        if (!_closed)
        {
            try
            {
                // Linger 0 turns the close into a reset: the peer learns at once that the response is incomplete.
                _socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            CloseSocket();
        }
        if (!_inputDone)
        {
            _inputDone = true;
            _input.Writer.Complete();
        }
        _output.Reader.CancelPendingRead();
        CompleteWritable(false);
    }

    private void CloseSocket()
    {
        if (_closed) return;
        if (_registered) _loop.Unregister(_fd);
        _registered = false;
        _closed = true;
        _socket.Dispose();
        _lingerTimer?.Dispose();
        CompleteWritable(false);
        _socketClosed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        // Core completed the output writer: the send side flushes what is left and shuts down sending first.
        await _sending.ConfigureAwait(false);
        _loop.Run(static s => ((LoopSocketConnection)s!).BeginClose(), this);
        await _socketClosed.Task.ConfigureAwait(false);
    }

    private void BeginClose()
    {
        if (_closed) return;
        _closeRequested = true;
        if (_inputDone)
        {
            CloseSocket();
            return;
        }
        StartDiscarding();
        _lingerTimer = new LoopTimer(_loop.Timers, static s => ((LoopSocketConnection)s!).CloseSocket(), this, LingerTimeout, Timeout.InfiniteTimeSpan);
    }
}
