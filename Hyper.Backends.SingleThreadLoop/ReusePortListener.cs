using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Hyper.Backends.SingleThreadLoop.Interop;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.SingleThreadLoop;

/// <summary>
/// One loop's listening socket. For TCP every loop binds its own socket to the same address with SO_REUSEPORT,
/// so the kernel spreads new connections across the loops and no two loops share anything (shared-nothing).
/// Accepts are non-blocking and readiness driven: the listener joins epoll only while an accept is pending
/// (EPOLLONESHOT), so a server that stops accepting leaves connections in the kernel backlog.
/// </summary>
internal sealed class ReusePortListener : ITransportListener, IReadinessHandler, IValueTaskSource<ITransportConnection?>
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly EventLoop _loop;
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly string? _unixPath;
    private readonly TaskCompletionSource _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ManualResetValueTaskSourceCore<ITransportConnection?> _accept;
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _acceptToken;
    private bool _pending;
    private bool _registered;
    private bool _closed;
    private int _unbindRequested;

    private ReusePortListener(EventLoop loop, Socket socket, string? unixPath)
    {
        _loop = loop;
        _socket = socket;
        _unixPath = unixPath;
        socket.Blocking = false;
        _fd = (int)socket.Handle;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    /// <summary>The loop whose connections this listener accepts.</summary>
    internal EventLoop Loop => _loop;

    /// <summary>
    /// Binds one listener per loop for TCP (with port 0: the first bind picks the port, the others join it), or a
    /// single listener on the first loop for unix sockets and inherited descriptors, which cannot be shared so.
    /// </summary>
    public static IReadOnlyList<ReusePortListener> BindAll(BindAddress address, int backlog, IReadOnlyList<EventLoop> loops)
    {
        switch (address.Kind)
        {
            case BindKind.Unix:
            {
                var path = address.UnixPath!;
                if (File.Exists(path)) File.Delete(path);
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Bind(new UnixDomainSocketEndPoint(path));
                socket.Listen(backlog);
                return [new ReusePortListener(loops[0], socket, path)];
            }
            case BindKind.FileDescriptor:
            {
                var socket = new Socket(new SafeSocketHandle((IntPtr)address.FileDescriptor, ownsHandle: true));
                return [new ReusePortListener(loops[0], socket, null)];
            }
            default:
                return BindTcp(address.ResolveEndPoint(), backlog, loops);
        }
    }

    private static IReadOnlyList<ReusePortListener> BindTcp(IPEndPoint endPoint, int backlog, IReadOnlyList<EventLoop> loops)
    {
        var listeners = new List<ReusePortListener>(loops.Count);
        try
        {
            foreach (var loop in loops)
            {
                var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
                        socket.DualMode = true;
                    // Lets a restarted server bind while old connections sit in TIME_WAIT.
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
                    socket.NoDelay = true;
                    socket.Bind(endPoint);
                    socket.Listen(backlog);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                var listener = new ReusePortListener(loop, socket, null);
                listeners.Add(listener);
                // Port 0: the kernel chose a port for the first socket; the others must share that one.
                if (endPoint.Port == 0) endPoint = new IPEndPoint(endPoint.Address, ((IPEndPoint)listener.EndPoint).Port);
            }
            return listeners;
        }
        catch
        {
            foreach (var listener in listeners) listener._socket.Dispose();
            throw;
        }
    }

    public ValueTask<ITransportConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _unbindRequested) != 0) return ValueTask.FromResult<ITransportConnection?>(null);
        _accept.Reset();
        var token = _accept.Version;
        _acceptToken = cancellationToken;
        _loop.Run(static s => ((ReusePortListener)s!).StartAccept(), this);
        return new ValueTask<ITransportConnection?>(this, token);
    }

    private void StartAccept()
    {
        _pending = true;
        if (_closed)
        {
            Complete(null);
            return;
        }
        if (TryAccept() is { } connection)
        {
            Complete(connection);
            return;
        }
        if (_acceptToken.IsCancellationRequested)
        {
            Complete(null);
            return;
        }
        if (_acceptToken.CanBeCanceled)
        {
            _cancellation = CallbackGuard.Register(_acceptToken, static s =>
            {
                var listener = (ReusePortListener)s!;
                listener._loop.Run(static l => ((ReusePortListener)l!).Complete(null), listener);
            }, this);
        }
        // Nothing in the backlog: wait for EPOLLIN once.
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
        if (TryAccept() is { } connection) Complete(connection);
        else _loop.Modify(_fd, LinuxEpoll.EPOLLIN | LinuxEpoll.EPOLLONESHOT); // the connection was gone already
    }

    /// <summary>Accepts one connection if the backlog has one (poll(2) first: no exception per empty backlog).</summary>
    private LoopSocketConnection? TryAccept()
    {
        while (_socket.Poll(0, SelectMode.SelectRead))
        {
            Socket accepted;
            try
            {
                accepted = _socket.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return null;
            }
            catch (SocketException)
            {
                continue; // reset before we accepted it (ECONNABORTED): keep serving the others
            }
            if (accepted.AddressFamily != AddressFamily.Unix) accepted.NoDelay = true;
            return new LoopSocketConnection(_loop, accepted);
        }
        return null;
    }

    private void Complete(ITransportConnection? connection)
    {
        if (!_pending)
        {
            connection?.Abort();
            return;
        }
        _pending = false;
        _cancellation.Unregister();
        _cancellation = default;
        _accept.SetResult(connection);
    }

    public ValueTask UnbindAsync()
    {
        if (Interlocked.Exchange(ref _unbindRequested, 1) == 0) _loop.Run(static s => ((ReusePortListener)s!).Close(), this);
        return new ValueTask(_unbound.Task);
    }

    private void Close()
    {
        _closed = true;
        if (_registered) _loop.Unregister(_fd);
        _registered = false;
        _socket.Dispose();
        if (_unixPath is not null)
        {
            try { File.Delete(_unixPath); } catch (IOException) { }
        }
        if (_pending) Complete(null);
        _unbound.TrySetResult();
    }

    public ValueTask DisposeAsync() => UnbindAsync();

    ITransportConnection? IValueTaskSource<ITransportConnection?>.GetResult(short token) => _accept.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ITransportConnection?>.GetStatus(short token) => _accept.GetStatus(token);

    void IValueTaskSource<ITransportConnection?>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _accept.OnCompleted(continuation, state, token, flags);
}
