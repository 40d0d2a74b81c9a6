using System.Net;
using System.Net.Sockets;
using Hyper.Core.Transport;

namespace Hyper.Core.Tests.Transport;

/// <summary>docs/security.md SL-03: the kernel's count of bytes the peer acknowledged, over a real loopback socket.</summary>
public sealed class TcpAcknowledgedBytesTests
{
    [Fact]
    public async Task LoopbackPeerReceivesBytes_AcknowledgedCountReachesThem()
    {
        if (!OperatingSystem.IsLinux()) return; // TCP_INFO is Linux's; elsewhere TryCreate gives null
        using var listener = Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TimeSpan.FromSeconds(10));
        using var server = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var acknowledged = TcpAcknowledgedBytes.TryCreate(server);
        acknowledged.Should().NotBeNull();
        acknowledged!.Read().Should().Be(0, "the handshake is not counted");

        await server.SendAsync(new byte[10_000].AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        // The peer's kernel acknowledges on receipt (its application need not read); loopback is quick but bounded here.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (acknowledged.Read() < 10_000 && !deadline.IsCancellationRequested) await Task.Delay(10);

        acknowledged.Read().Should().Be(10_000);
    }

    [Fact]
    public async Task PeerWithAFullReceiveBuffer_AcknowledgesFarLessThanTheKernelAccepted()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var listener = Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TimeSpan.FromSeconds(10));
        using var server = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        server.Blocking = false;
        var acknowledged = TcpAcknowledgedBytes.TryCreate(server)!;

        // Fill the server's send buffer: the client never reads, so its window closes.
        var chunk = new byte[64 * 1024];
        long sent = 0;
        while (sent < 256L * 1024 * 1024)
        {
            var n = server.Send(chunk, 0, chunk.Length, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) break;
            error.Should().Be(SocketError.Success);
            sent += n;
        }
        await Task.Delay(200);

        acknowledged.Read().Should().BeLessThan(sent / 2, "what the kernel accepted is not what the peer took");
    }

    [Fact]
    public void UnixDomainSocket_CannotTell()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        TcpAcknowledgedBytes.TryCreate(socket).Should().BeNull();
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }
}
