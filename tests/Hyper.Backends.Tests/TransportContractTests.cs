using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Backends.Tests;

/// <summary>The transport half of the backend contract, on every backend.</summary>
public sealed class TransportContractTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private static readonly BindAddress Loopback = new(BindKind.Tcp, "127.0.0.1", 0);

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Transport_BoundToPortZero_MovesBytesBothWaysThroughThePipes(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var listener = (await backend.BindAsync(Loopback, 16)).Single();
        var port = ((IPEndPoint)listener.EndPoint).Port;
        port.Should().BeGreaterThan(0);

        using var client = await ConnectAsync(port);
        await using var connection = (await listener.AcceptAsync().AsTask().WaitAsync(Limit))!;
        connection.RemoteEndPoint.Should().BeOfType<IPEndPoint>().Which.Port.Should().Be(((IPEndPoint)client.LocalEndPoint!).Port);

        await client.SendAsync("ping"u8.ToArray());
        var received = await ReadAtLeastAsync(connection, 4);
        received.Should().Equal("ping"u8.ToArray());

        await connection.Transport.Output.WriteAsync("pong"u8.ToArray());
        var reply = new byte[4];
        (await client.ReceiveAsync(reply).WaitAsync(Limit)).Should().Be(4);
        reply.Should().Equal("pong"u8.ToArray());

        // Half-close from the peer ends Core's input; completing the output shuts down our side (FIN, not RST).
        client.Shutdown(SocketShutdown.Send);
        var end = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Limit);
        end.IsCompleted.Should().BeTrue();
        await connection.Transport.Input.CompleteAsync();
        await connection.Transport.Output.CompleteAsync();
        (await client.ReceiveAsync(new byte[1]).WaitAsync(Limit)).Should().Be(0);
        await listener.UnbindAsync();
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Transport_LargeResponse_ArrivesWhole(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var listener = (await backend.BindAsync(Loopback, 16)).Single();
        using var client = await ConnectAsync(((IPEndPoint)listener.EndPoint).Port);
        await using var connection = (await listener.AcceptAsync().AsTask().WaitAsync(Limit))!;

        // 4 MiB overflows the kernel's send buffer: the backend must wait for the socket to drain (EPOLLOUT).
        var payload = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(payload);
        var writing = connection.Transport.Output.WriteAsync(payload).AsTask();
        var received = new MemoryStream();
        var buffer = new byte[65536];
        while (received.Length < payload.Length)
        {
            var read = await client.ReceiveAsync(buffer).WaitAsync(Limit);
            if (read == 0) break;
            received.Write(buffer, 0, read);
        }
        await writing.WaitAsync(Limit);
        received.ToArray().Should().Equal(payload);
        client.Shutdown(SocketShutdown.Send); // lets the lingering close end at once
        await connection.Transport.Output.CompleteAsync();
        await connection.Transport.Input.CompleteAsync();
        await listener.UnbindAsync();
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Listener_Unbound_AcceptReturnsNullAndRefusesConnections(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var listener = (await backend.BindAsync(Loopback, 16)).Single();
        var port = ((IPEndPoint)listener.EndPoint).Port;
        var pending = listener.AcceptAsync().AsTask();

        await listener.UnbindAsync();

        (await pending.WaitAsync(Limit)).Should().BeNull();
        (await listener.AcceptAsync().AsTask().WaitAsync(Limit)).Should().BeNull();
        var connect = () => ConnectAsync(port);
        (await connect.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Connection_Aborted_ResetsThePeer(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var listener = (await backend.BindAsync(Loopback, 16)).Single();
        using var client = await ConnectAsync(((IPEndPoint)listener.EndPoint).Port);
        var connection = (await listener.AcceptAsync().AsTask().WaitAsync(Limit))!;
        await client.SendAsync("unread"u8.ToArray());

        connection.Abort();

        var receive = async () => await client.ReceiveAsync(new byte[16]).WaitAsync(Limit);
        (await receive.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionReset);
        (await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Limit)).IsCompleted.Should().BeTrue();
        await connection.Transport.Output.CompleteAsync();
        await connection.Transport.Input.CompleteAsync();
        await connection.DisposeAsync().AsTask().WaitAsync(Limit);
        await listener.UnbindAsync();
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Limit);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadAtLeastAsync(ITransportConnection connection, int count)
    {
        var input = connection.Transport.Input;
        var result = await input.ReadAtLeastAsync(count).AsTask().WaitAsync(Limit);
        var bytes = result.Buffer.Slice(0, count).ToArray();
        input.AdvanceTo(result.Buffer.GetPosition(count));
        return bytes;
    }
}
