using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Hyper.Backends.SingleThreadLoop.Interop;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// One loop's UDP socket. Every loop binds its own socket to the same port with SO_REUSEPORT; the kernel hashes each
/// client's 4-tuple to one of them, so all of a QUIC connection's datagrams reach the loop that owns it (as long as
/// the client's address does not change, and the QUIC connection refuses migration). Receives are non-blocking and
/// readiness driven: the socket joins epoll only while a receive waits (EPOLLONESHOT), and the receive completes on
/// the loop thread.
/// </summary>
internal sealed class LoopDatagramSocket : IDatagramSocket, IReadinessHandler, IValueTaskSource<DatagramReceiveResult>
{
    private const int KernelBufferBytes = 4 << 20;

    private readonly EventLoop _loop;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ManualResetValueTaskSourceCore<DatagramReceiveResult> _receive;
    private Memory<byte> _buffer;
    private EndPoint _remote;
    private CancellationToken _token;
    private CancellationTokenRegistration _cancellation;
    private bool _pending;
    private bool _registered;
    private bool _closed;
    private int _disposeRequested;

    private LoopDatagramSocket(EventLoop loop, Socket socket)
    {
        _loop = loop;
        _socket = socket;
        socket.Blocking = false;
        _fd = (int)socket.Handle;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _remote = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The loop this socket's datagrams are received on.</summary>
    internal EventLoop Loop => _loop;

    /// <summary>Binds one socket per loop; with port 0 the first bind picks the port and the others join it.</summary>
    public static IReadOnlyList<LoopDatagramSocket> BindAll(BindAddress address, IReadOnlyList<EventLoop> loops)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Kind != BindKind.Tcp)
            throw new ArgumentException($"A QUIC bind is host:port; '{address.Kind}' binds are stream sockets only.", nameof(address));
        var endPoint = address.ResolveEndPoint();
        var sockets = new List<LoopDatagramSocket>(loops.Count);
        try
        {
            foreach (var loop in loops)
            {
                var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                try
                {
                    if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                    socket.ReceiveBufferSize = KernelBufferBytes;
                    socket.SendBufferSize = KernelBufferBytes;
                    // SOL_SOCKET (1), SO_REUSEPORT (15) on Linux.
                    socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));
                    socket.Bind(endPoint);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                var datagramSocket = new LoopDatagramSocket(loop, socket);
                sockets.Add(datagramSocket);
                if (endPoint.Port == 0) endPoint = new IPEndPoint(endPoint.Address, datagramSocket.LocalEndPoint.Port);
            }
            return sockets;
        }
        catch
        {
            foreach (var socket in sockets) socket._socket.Dispose();
            throw;
        }
    }

    public ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposeRequested) != 0) return ValueTask.FromResult(DatagramReceiveResult.Closed);
        _receive.Reset();
        var version = _receive.Version;
        _buffer = buffer;
        _token = cancellationToken;
        _loop.Run(static s => ((LoopDatagramSocket)s!).StartReceive(), this);
        return new ValueTask<DatagramReceiveResult>(this, version);
    }

    private void StartReceive()
    {
        _pending = true;
        if (_closed)
        {
            Complete(DatagramReceiveResult.Closed);
            return;
        }
        if (TryReceive(out var result))
        {
            Complete(result);
            return;
        }
        if (_token.IsCancellationRequested)
        {
            Cancel();
            return;
        }
        if (_token.CanBeCanceled)
        {
            _cancellation = CallbackGuard.Register(_token, static s =>
            {
                var socket = (LoopDatagramSocket)s!;
                socket._loop.Run(static x => ((LoopDatagramSocket)x!).Cancel(), socket);
            }, this);
        }
        WaitReadable();
    }

    private void WaitReadable()
    {
        const uint events = LinuxEpoll.EPOLLIN | LinuxEpoll.EPOLLONESHOT;
        if (_registered)
        {
            _loop.Modify(_fd, events);
        }
        else
        {
            _loop.Register(_fd, events, this);
            _registered = true;
        }
    }

    public void OnReady(uint events)
    {
        if (!_pending || _closed) return;
        if (TryReceive(out var result)) Complete(result);
        else WaitReadable();
    }

    /// <summary>Reads one datagram if the kernel has one (poll(2) first: no exception per empty queue).</summary>
    private bool TryReceive(out DatagramReceiveResult result)
    {
        while (_socket.Poll(0, SelectMode.SelectRead))
        {
            try
            {
                var length = _socket.ReceiveFrom(_buffer.Span, SocketFlags.None, ref _remote);
                var remote = (IPEndPoint)_remote;
                if (remote.Address.IsIPv4MappedToIPv6) remote = new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
                result = new DatagramReceiveResult(length, remote);
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                break;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier send, or a datagram larger than the buffer: neither ends the socket.
            }
        }
        result = default;
        return false;
    }

    private void Cancel()
    {
        if (!_pending) return;
        _pending = false;
        _cancellation.Unregister();
        _cancellation = default;
        _receive.SetException(new OperationCanceledException(_token));
    }

    private void Complete(DatagramReceiveResult result)
    {
        if (!_pending) return;
        _pending = false;
        _cancellation.Unregister();
        _cancellation = default;
        _buffer = default;
        _receive.SetResult(result);
    }

    public bool TrySend(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, remote) == datagram.Length;
        }
        catch (SocketException)
        {
            // WouldBlock (the kernel buffer is full) included: a dropped datagram is QUIC's loss to recover.
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeRequested, 1) == 0) _loop.Run(static s => ((LoopDatagramSocket)s!).Close(), this);
        return new ValueTask(_closedSignal.Task);
    }

    private void Close()
    {
        _closed = true;
        if (_registered) _loop.Unregister(_fd);
        _registered = false;
        _socket.Dispose();
        if (_pending) Complete(DatagramReceiveResult.Closed);
        _closedSignal.TrySetResult();
    }

    DatagramReceiveResult IValueTaskSource<DatagramReceiveResult>.GetResult(short token) => _receive.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<DatagramReceiveResult>.GetStatus(short token) => _receive.GetStatus(token);

    void IValueTaskSource<DatagramReceiveResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _receive.OnCompleted(continuation, state, token, flags);
}
