using System.Net;
using System.Net.Sockets;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Transport.Sockets;

/// <summary>
/// A UDP socket on System.Net.Sockets for the thread-pool and structured backends: receives are the socket's own
/// asynchronous operations (completing on the thread pool), sends go straight to the kernel.
/// </summary>
public sealed class UdpDatagramSocket : IDatagramSocket
{
    /// <summary>Receive and send buffers of a few megabytes, so that bursts at QUIC's speeds are not dropped by the kernel.</summary>
    private const int KernelBufferBytes = 4 << 20;

    private readonly Socket _socket;
    private readonly EndPoint _anyRemote;
    private int _disposed;

    private UdpDatagramSocket(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _anyRemote = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds a UDP socket to a <c>host:port</c> address (UDP has no unix or inherited-descriptor form here).</summary>
    public static UdpDatagramSocket Bind(BindAddress address) => new(BindSocket(address, reusePort: false));

    /// <summary>
    /// Creates and binds a UDP socket; with <paramref name="reusePort"/> several sockets share the port (SO_REUSEPORT)
    /// and the kernel spreads clients across them by 4-tuple.
    /// </summary>
    public static Socket BindSocket(BindAddress address, bool reusePort, IPEndPoint? endPointOverride = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Kind != BindKind.Tcp)
            throw new ArgumentException($"A QUIC bind is host:port; '{address.Kind}' binds are stream sockets only.", nameof(address));
        var endPoint = endPointOverride ?? address.ResolveEndPoint();
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.ReceiveBufferSize = KernelBufferBytes;
            socket.SendBufferSize = KernelBufferBytes;
            // SOL_SOCKET (1), SO_REUSEPORT (15) on Linux.
            if (reusePort) socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _anyRemote, cancellationToken).ConfigureAwait(false);
                return new DatagramReceiveResult(result.ReceivedBytes, Normalize((IPEndPoint)result.RemoteEndPoint));
            }
            catch (ObjectDisposedException)
            {
                return DatagramReceiveResult.Closed;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted || Volatile.Read(ref _disposed) != 0)
            {
                return DatagramReceiveResult.Closed;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier send, or a datagram larger than the buffer: neither ends the socket.
            }
        }
    }

    public bool TrySend(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, remote) == datagram.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>A dual-mode socket reports IPv4 clients as ::ffff:a.b.c.d; QUIC compares addresses, so keep one form.</summary>
    internal static IPEndPoint Normalize(IPEndPoint remote) =>
        remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
