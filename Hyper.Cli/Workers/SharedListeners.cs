using System.Net;
using System.Net.Sockets;
using Hyper.Core.Configuration;

namespace Hyper.Cli.Workers;

/// <summary>
/// The listening sockets the supervisor binds once and every worker inherits (by descriptor number, exec keeps
/// them open). The supervisor never accepts on them; it holds them so that connections wait in the kernel's accept
/// queue while a worker is replaced, and none is refused across a reload.
/// </summary>
internal sealed class SharedListeners : IDisposable
{
    private readonly List<Socket> _owned = [];
    private readonly List<string> _unixPaths = [];
    private readonly List<int> _bind = [];
    private readonly List<int> _insecureBind = [];

    private SharedListeners() { }

    /// <summary>Descriptors of the <c>bind</c> addresses, in order.</summary>
    public IReadOnlyList<int> Bind => _bind;

    /// <summary>Descriptors of the <c>insecure_bind</c> addresses, in order.</summary>
    public IReadOnlyList<int> InsecureBind => _insecureBind;

    /// <summary>The bound addresses as a user reads them (the real port where port 0 was asked for).</summary>
    public List<string> Described { get; } = [];

    /// <exception cref="SocketException">A bind failed (the sockets bound so far are closed).</exception>
    public static SharedListeners Open(HyperOptions options)
    {
        var listeners = new SharedListeners();
        try
        {
            foreach (var bind in options.Bind) listeners._bind.Add(listeners.Open(bind, options.Backlog));
            foreach (var bind in options.InsecureBind) listeners._insecureBind.Add(listeners.Open(bind, options.Backlog));
            return listeners;
        }
        catch
        {
            listeners.Dispose();
            throw;
        }
    }

    private int Open(BindAddress address, int backlog)
    {
        int fd;
        switch (address.Kind)
        {
            case BindKind.FileDescriptor:
                // Already bound and listening (systemd, a parent): pass it through as it is.
                fd = address.FileDescriptor;
                Described.Add(address.ToString());
                break;
            case BindKind.Unix:
            {
                var path = address.UnixPath!;
                if (File.Exists(path)) File.Delete(path);
                var socket = Own(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
                socket.Bind(new UnixDomainSocketEndPoint(path));
                socket.Listen(backlog);
                _unixPaths.Add(path);
                fd = (int)socket.Handle;
                Described.Add($"unix:{path}");
                break;
            }
            default:
            {
                var endPoint = address.ResolveEndPoint();
                var socket = Own(new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
                if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
                    socket.DualMode = true;
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endPoint);
                socket.Listen(backlog);
                fd = (int)socket.Handle;
                var bound = (IPEndPoint)socket.LocalEndPoint!;
                Described.Add(bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]:{bound.Port}" : $"{bound.Address}:{bound.Port}");
                break;
            }
        }
        PosixInterop.SetInheritable(fd, inheritable: true);
        return fd;
    }

    private Socket Own(Socket socket)
    {
        _owned.Add(socket);
        return socket;
    }

    public void Dispose()
    {
        foreach (var socket in _owned) socket.Dispose();
        foreach (var path in _unixPaths)
        {
            try { File.Delete(path); }
            catch (IOException) { }
        }
    }
}
