using System.Net;
using System.Net.Sockets;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Backends.ThreadPool;

/// <summary>A listening socket (TCP, unix or an inherited file descriptor) that hands out <see cref="SocketConnection"/>s.</summary>
internal sealed class SocketListener : ITransportListener
{
    private readonly Socket _socket;
    private readonly string? _unixPath;
    private int _unbound;

    private SocketListener(Socket socket, string? unixPath)
    {
        _socket = socket;
        _unixPath = unixPath;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    public static SocketListener Bind(BindAddress address, int backlog)
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
                return new SocketListener(socket, path);
            }
            case BindKind.FileDescriptor:
            {
                var socket = new Socket(new SafeSocketHandle((IntPtr)address.FileDescriptor, ownsHandle: true));
                return new SocketListener(socket, null);
            }
            default:
            {
                var endPoint = Resolve(address);
                var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
                    socket.DualMode = true;
                // Lets a restarted server bind while old connections sit in TIME_WAIT.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.NoDelay = true;
                socket.Bind(endPoint);
                socket.Listen(backlog);
                return new SocketListener(socket, null);
            }
        }
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
        while (true)
        {
            try
            {
                var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (socket.AddressFamily != AddressFamily.Unix) socket.NoDelay = true;
                return new SocketConnection(socket);
            }
            catch (ObjectDisposedException) { return null; }
            catch (OperationCanceledException) { return null; }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted || Volatile.Read(ref _unbound) != 0)
            {
                return null;
            }
            catch (SocketException)
            {
                // A connection that was reset before we accepted it (ECONNABORTED): keep serving the others.
            }
        }
    }

    public ValueTask UnbindAsync()
    {
        if (Interlocked.Exchange(ref _unbound, 1) == 0)
        {
            _socket.Dispose();
            if (_unixPath is not null)
            {
                try { File.Delete(_unixPath); } catch (IOException) { }
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}
