using System.Net;
using System.Net.Sockets;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Transport.Sockets;

/// <summary>
/// A listening socket (TCP, unix or an inherited file descriptor) that hands out <see cref="SocketConnection"/>s.
/// A backend that owns its tasks (the structured one) gives it a factory of per-connection I/O scopes and the
/// token of the group the listener belongs to; without them (the thread pool) connections run their loops as
/// plain thread-pool tasks.
/// </summary>
public sealed class SocketListener : ITransportListener
{
    private readonly Socket _socket;
    private readonly string? _unixPath;
    private readonly Func<ITaskScope>? _createConnectionScope;
    private readonly CancellationToken _stopping;
    private readonly TimeProvider _time;
    private int _unbound;

    private SocketListener(Socket socket, string? unixPath, Func<ITaskScope>? createConnectionScope,
        CancellationToken stopping, TimeProvider? time)
    {
        _socket = socket;
        _unixPath = unixPath;
        _createConnectionScope = createConnectionScope;
        _stopping = stopping;
        _time = time ?? TimeProvider.System;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    /// <summary>Binds and listens on <paramref name="address"/>.</summary>
    /// <param name="address">A <c>host:port</c>, <c>unix:/path</c> or <c>fd://N</c> bind.</param>
    /// <param name="backlog">The listen backlog.</param>
    /// <param name="createConnectionScope">
    /// Called once per accepted connection for the scope its I/O loops run in; the connection owns (cancels and
    /// closes) that scope. An <see cref="ObjectDisposedException"/> from it means the owner has closed: the
    /// socket is dropped and <see cref="AcceptAsync"/> returns null. Null runs the loops on the thread pool.
    /// </param>
    /// <param name="stopping">Cancelling it ends every pending and future <see cref="AcceptAsync"/> with null.</param>
    /// <param name="time">The clock each connection's lingering close is timed on; the system clock when null.</param>
    public static SocketListener Bind(BindAddress address, int backlog, Func<ITaskScope>? createConnectionScope = null,
        CancellationToken stopping = default, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (socket, unixPath) = address.Kind switch
        {
            BindKind.Unix => (BindUnix(address.UnixPath!, backlog), address.UnixPath),
            // An inherited socket (fd://N) is already bound and listening: the parent process did that.
            BindKind.FileDescriptor => (new Socket(new SafeSocketHandle((IntPtr)address.FileDescriptor, ownsHandle: true)), null),
            _ => (BindTcp(address, backlog), null),
        };
        return new SocketListener(socket, unixPath, createConnectionScope, stopping, time);
    }

    private static Socket BindUnix(string path, int backlog)
    {
        // A stale socket file from an earlier run would make bind fail with EADDRINUSE.
        if (File.Exists(path)) File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket BindTcp(BindAddress address, int backlog)
    {
        var endPoint = address.ResolveEndPoint();
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            // Lets a restarted server bind while old connections sit in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.NoDelay = true;
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<ITransportConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var linked = _stopping.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping)
            : null;
        var token = linked?.Token ?? cancellationToken;
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException) { return null; }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted || Volatile.Read(ref _unbound) != 0)
            {
                return null;
            }
            catch (SocketException)
            {
                // A connection reset before we accepted it (ECONNABORTED): keep serving the others.
                continue;
            }
            if (!TryPrepare(socket)) continue;
            ITaskScope? io;
            try
            {
                io = _createConnectionScope?.Invoke();
            }
            catch (ObjectDisposedException)
            {
                // The owner of the listener has closed: nothing may run any more, so no connection either.
                socket.Dispose();
                return null;
            }
            return new SocketConnection(socket, io, _time);
        }
    }

    /// <summary>Sets per-connection options; false (and the socket dropped) when the peer has already gone.</summary>
    private static bool TryPrepare(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.Unix) return true;
        try
        {
            // Small responses and HTTP/2 control frames must not wait for the peer's ACK (Nagle's algorithm).
            socket.NoDelay = true;
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            return false;
        }
    }

    public ValueTask UnbindAsync()
    {
        if (Interlocked.Exchange(ref _unbound, 1) == 0)
        {
            _socket.Dispose();
            if (_unixPath is not null)
            {
                try { File.Delete(_unixPath); }
                catch (IOException) { }
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}
