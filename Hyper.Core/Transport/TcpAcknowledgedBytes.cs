using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Hyper.Core.Transport;

/// <summary>
/// How many bytes the peer of a TCP socket has acknowledged, read from the kernel (Linux <c>TCP_INFO</c>,
/// <c>tcpi_bytes_acked</c>, kernel 4.1 and later). The socket transports use it for
/// <see cref="ITransportConnection.BytesAcknowledged"/>: the bytes a send call hands over only reach the kernel's send
/// buffer, which autotuning grows to megabytes, so they say nothing about whether a slow reader takes anything
/// (docs/security.md SL-03).
/// <para>
/// The count is kept relative to its value when the connection was accepted, so the handshake's SYN does not count,
/// and it is on the same scale as the bytes the transport has sent. Thread-safe: getsockopt may be called from any
/// thread; a disposed socket reports the last value read.
/// </para>
/// </summary>
public sealed class TcpAcknowledgedBytes
{
    // Linux: SOL_TCP (IPPROTO_TCP) = 6, TCP_INFO = 11; struct tcp_info (include/uapi/linux/tcp.h) holds
    // tcpi_bytes_acked, a __u64, at byte offset 120: 8 one-byte fields, 24 __u32 fields, then the __u64
    // tcpi_pacing_rate and tcpi_max_pacing_rate.
    private const int SolTcp = 6;
    private const int TcpInfo = 11;
    private const int BytesAckedOffset = 120;
    private const int TcpInfoLength = 232;

    private readonly Socket _socket;
    private readonly long _baseline;
    private long _last;

    private TcpAcknowledgedBytes(Socket socket, long baseline)
    {
        _socket = socket;
        _baseline = baseline;
    }

    /// <summary>A reader for <paramref name="socket"/>, or null where the platform or the socket cannot tell (not
    /// Linux, a unix domain socket, a kernel older than 4.1).</summary>
    public static TcpAcknowledgedBytes? TryCreate(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!OperatingSystem.IsLinux() || socket.ProtocolType != ProtocolType.Tcp) return null;
        return TryRead(socket, out var acked) ? new TcpAcknowledgedBytes(socket, acked) : null;
    }

    /// <summary>Bytes acknowledged by the peer since the connection was accepted (a FIN counts one).</summary>
    public long Read()
    {
        if (TryRead(_socket, out var acked))
        {
            var value = acked - _baseline;
            Volatile.Write(ref _last, value);
            return value;
        }
        return Volatile.Read(ref _last);
    }

    private static bool TryRead(Socket socket, out long acked)
    {
        Span<byte> info = stackalloc byte[TcpInfoLength];
        try
        {
            var length = socket.GetRawSocketOption(SolTcp, TcpInfo, info);
            if (length >= BytesAckedOffset + sizeof(ulong))
            {
                acked = (long)MemoryMarshal.Read<ulong>(info[BytesAckedOffset..]); // native byte order
                return true;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or PlatformNotSupportedException) { }
        acked = 0;
        return false;
    }
}
