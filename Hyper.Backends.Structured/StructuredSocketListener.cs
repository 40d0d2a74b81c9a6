using System.Net;
using System.Net.Sockets;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Backends.Structured;

/// <summary>
/// A listening socket (TCP, unix or an inherited file descriptor). It owns a task group, a child of the
/// backend's root: each accepted connection's I/O loops run in a group nested in it, so cancelling the root
/// stops every accept and every socket operation of the server.
/// </summary>
internal sealed class StructuredSocketListener : ITransportListener
{
    private readonly Socket _socket;
    private readonly string? _unixPath;
    private readonly TaskGroup _group;
    private int _unbound;

    private StructuredSocketListener(Socket socket, string? unixPath, TaskGroup group)
    {
        _socket = socket;
        _unixPath = unixPath;
        _group = group;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    public static StructuredSocketListener Bind(BindAddress address, int backlog, TaskGroup group) => address.Kind switch
    {
        BindKind.Unix => BindUnix(address.UnixPath!, backlog, group),
        // An inherited socket (fd://N) is already bound and listening: the parent process did that.
        BindKind.FileDescriptor => new StructuredSocketListener(
            new Socket(new SafeSocketHandle((IntPtr)address.FileDescriptor, ownsHandle: true)), null, group),
        _ => BindTcp(address, backlog, group),
    };

    private static StructuredSocketListener BindUnix(string path, int backlog, TaskGroup group)
    {
        // A stale socket file from an earlier run would make bind fail with EADDRINUSE.
        if (File.Exists(path)) File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(backlog);
        return new StructuredSocketListener(socket, path, group);
    }

    private static StructuredSocketListener BindTcp(BindAddress address, int backlog, TaskGroup group)
    {
        var endPoint = Resolve(address);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            socket.DualMode = true;
        // Lets a restarted server bind while old connections sit in TIME_WAIT.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(endPoint);
        socket.Listen(backlog);
        return new StructuredSocketListener(socket, null, group);
    }

    private static IPEndPoint Resolve(BindAddress address)
    {
        if (IPAddress.TryParse(address.Host, out var ip)) return new IPEndPoint(ip, address.Port);
        if (address.Host == "localhost") return new IPEndPoint(IPAddress.Loopback, address.Port);
        var addresses = Dns.GetHostAddresses(address.Host);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(addresses[0], address.Port);
    }

    public async ValueTask<ITransportConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _group.Token);
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(linked.Token).ConfigureAwait(false);
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
            if (socket.AddressFamily != AddressFamily.Unix) socket.NoDelay = true;
            TaskGroup io;
            try
            {
                io = _group.CreateChildGroup();
            }
            catch (ObjectDisposedException)
            {
                // The server's root group has closed: nothing may run any more, so no connection either.
                socket.Dispose();
                return null;
            }
            return new StructuredSocketConnection(socket, io);
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
