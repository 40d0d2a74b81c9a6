using System.Buffers;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Hyper.Core.Transport;

namespace Hyper.Backends.SingleThreadLoop;

// The send side: drains the output pipe into the socket on the loop, waiting for EPOLLOUT only when send(2)
// would block.
internal sealed partial class LoopSocketConnection : IValueTaskSource<bool>
{
    private ManualResetValueTaskSourceCore<bool> _writable;
    private bool _writeWaiting;

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                // Resumed by the loop's pipe scheduler: inline when Core flushed on the loop, so the bytes reach
                // the kernel before Core's FlushAsync returns.
                var result = await reader.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled) break; // aborted
                var buffer = result.Buffer;
                if (!buffer.IsEmpty && !await SendAsync(buffer).ConfigureAwait(false))
                {
                    Abort();
                    break;
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    ShutdownSend();
                    break;
                }
            }
        }
        catch (SocketException) { Abort(); }
        catch (ObjectDisposedException) { }
        // Completing the reader makes any flush Core still waits on return IsCompleted (the client is gone).
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    private long _bytesSent;

    /// <summary>Bytes the kernel accepted so far; written on the loop, read by the driver's rate timer.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    private readonly TcpAcknowledgedBytes? _acknowledged;

    /// <summary>What the peer acknowledged, from the kernel (TCP on Linux); -1 elsewhere (docs/security.md SL-03).
    /// Read from the driver's rate timer, on any thread: getsockopt needs no loop.</summary>
    public long BytesAcknowledged => _acknowledged?.Read() ?? -1;

    /// <summary>Sends every segment; false when the connection failed or was closed.</summary>
    private async ValueTask<bool> SendAsync(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            var remaining = segment;
            while (!remaining.IsEmpty)
            {
                if (_closed) return false;
                var sent = _socket.Send(remaining.Span, SocketFlags.None, out var error);
                if (error == SocketError.Success)
                {
                    Volatile.Write(ref _bytesSent, _bytesSent + sent);
                    remaining = remaining[sent..];
                    continue;
                }
                if (error != SocketError.WouldBlock) return false;
                if (!await WaitWritableAsync().ConfigureAwait(false)) return false;
            }
        }
        return true;
    }

    private void ShutdownSend()
    {
        if (_closed) return;
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>The kernel's send buffer is full: wait (on the loop) until epoll reports EPOLLOUT.</summary>
    private ValueTask<bool> WaitWritableAsync()
    {
        _writable.Reset();
        _writeWaiting = true;
        UpdateInterest();
        return new ValueTask<bool>(this, _writable.Version);
    }

    private void OnWritable()
    {
        if (!_writeWaiting) return;
        _writeWaiting = false;
        UpdateInterest();
        _writable.SetResult(true);
    }

    private void CompleteWritable(bool writable)
    {
        if (!_writeWaiting) return;
        _writeWaiting = false;
        _writable.SetResult(writable);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _writable.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _writable.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _writable.OnCompleted(continuation, state, token, flags);
}
