using System.Net;

namespace Hyper.Core.Transport;

/// <summary>One received datagram: its length in the caller's buffer and its sender; a null sender means the socket closed.</summary>
public readonly record struct DatagramReceiveResult(int Length, IPEndPoint? Remote)
{
    public static DatagramReceiveResult Closed => default;

    public bool IsClosed => Remote is null;
}
