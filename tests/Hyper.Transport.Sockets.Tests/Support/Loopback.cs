using System.Net;
using System.Net.Sockets;

namespace Hyper.Transport.Sockets.Tests.Support;

/// <summary>Connected loopback socket pairs, every wait bounded.</summary>
internal static class Loopback
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// <summary>A client socket and the server side accepted from a throwaway listener.</summary>
    public static async Task<(Socket Client, Socket Server)> ConnectPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Limit);
        var server = await accepting.WaitAsync(Limit);
        return (client, server);
    }

    public static async Task<Socket> ConnectAsync(EndPoint endPoint)
    {
        var client = new Socket(endPoint.AddressFamily, SocketType.Stream,
            endPoint.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await client.ConnectAsync(endPoint).WaitAsync(Limit);
        return client;
    }
}
