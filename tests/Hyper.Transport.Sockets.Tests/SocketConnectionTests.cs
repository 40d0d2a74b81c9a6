using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Hyper.Transport.Sockets.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Transport.Sockets.Tests;

/// <summary>
/// The socket connection in both of its modes: loops on the thread pool (no scope) and loops owned by an I/O
/// scope. Every case runs on loopback and every wait is bounded.
/// </summary>
public sealed class SocketConnectionTests
{
    private static readonly TimeSpan Limit = Loopback.Limit;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Connection_PeerHalfCloses_MovesBytesBothWaysAndEndsWithFin(bool scoped)
    {
        var (client, server) = await Loopback.ConnectPairAsync();
        using var _ = client;
        var scope = scoped ? new RecordingTaskScope() : null;
        var connection = new SocketConnection(server, scope);

        await client.SendAsync("ping"u8.ToArray());
        (await ReadAtLeastAsync(connection.Transport.Input, 4)).Should().Equal("ping"u8.ToArray());
        await connection.Transport.Output.WriteAsync("pong"u8.ToArray());
        (await ReceiveExactlyAsync(client, 4)).Should().Equal("pong"u8.ToArray());

        client.Shutdown(SocketShutdown.Send);
        (await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Limit)).IsCompleted.Should().BeTrue();
        await connection.Transport.Input.CompleteAsync();
        await connection.Transport.Output.CompleteAsync();
        (await client.ReceiveAsync(new byte[1]).WaitAsync(Limit)).Should().Be(0, "a completed output is a FIN, not a reset");
        await connection.DisposeAsync().AsTask().WaitAsync(Limit);

        if (scope is not null)
        {
            scope.Spawned.Should().Be(2, "both I/O loops run in the connection's scope");
            scope.CloseCalls.Should().Be(1, "the connection owns its scope and closes it once");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Abort_ResponseInFlight_ResetsPeerAndEndsInput(bool scoped)
    {
        var (client, server) = await Loopback.ConnectPairAsync();
        using var _ = client;
        var scope = scoped ? new RecordingTaskScope() : null;
        var connection = new SocketConnection(server, scope);
        await connection.Transport.Output.WriteAsync("partial"u8.ToArray());
        (await ReceiveExactlyAsync(client, 7)).Should().Equal("partial"u8.ToArray());

        connection.Abort();

        (await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Limit)).IsCompleted.Should().BeTrue();
        var receive = async () => await client.ReceiveAsync(new byte[1]).WaitAsync(Limit);
        (await receive.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionReset);
        await connection.Transport.Input.CompleteAsync();
        await connection.Transport.Output.CompleteAsync();
        await connection.DisposeAsync().AsTask().WaitAsync(Limit);
        if (scope is not null)
        {
            scope.IsCancelled.Should().BeTrue("aborting cancels the I/O scope so no socket call waits on the peer");
            scope.CloseCalls.Should().Be(1);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisposeAsync_PeerKeepsConnectionOpen_LingersUntilTimeoutThenCloses(bool scoped)
    {
        var (client, server) = await Loopback.ConnectPairAsync();
        using var _ = client;
        var time = new FakeTimeProvider();
        var scope = scoped ? new RecordingTaskScope() : null;
        var connection = new SocketConnection(server, scope, time);

        // The driver stops reading (e.g. after a 400) while the peer still has bytes in flight.
        await connection.Transport.Input.CompleteAsync();
        await client.SendAsync("pipelined"u8.ToArray());
        await connection.Transport.Output.CompleteAsync();
        (await client.ReceiveAsync(new byte[1]).WaitAsync(Limit)).Should().Be(0, "our side has sent its FIN");

        var disposing = connection.DisposeAsync().AsTask();
        disposing.IsCompleted.Should().BeFalse("RFC 9112 §9.6: the lingering close waits for the peer before closing");
        await AdvanceUntilCompletedAsync(time, disposing);

        disposing.IsCompletedSuccessfully.Should().BeTrue();
        if (scope is not null) scope.CloseCalls.Should().Be(1);
    }

    [Fact]
    public async Task DisposeAsync_PeerClosesWhileLingering_EndsWithoutWaitingForTimeout()
    {
        var (client, server) = await Loopback.ConnectPairAsync();
        var time = new FakeTimeProvider();
        var connection = new SocketConnection(server, io: null, time);
        await connection.Transport.Input.CompleteAsync();
        await connection.Transport.Output.CompleteAsync();
        (await client.ReceiveAsync(new byte[1]).WaitAsync(Limit)).Should().Be(0);

        client.Dispose();

        // No time is advanced: only the peer's close can end the linger.
        await connection.DisposeAsync().AsTask().WaitAsync(Limit);
    }

    private static async Task AdvanceUntilCompletedAsync(FakeTimeProvider time, Task task)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            // A poll interval on the real clock, not a timing assumption: the linger is measured on the fake one.
            await Task.WhenAny(task, Task.Delay(10));
        }
        await task.WaitAsync(TimeSpan.Zero);
    }

    private static async Task<byte[]> ReadAtLeastAsync(PipeReader input, int count)
    {
        var result = await input.ReadAtLeastAsync(count).AsTask().WaitAsync(Limit);
        var bytes = result.Buffer.Slice(0, count).ToArray();
        input.AdvanceTo(result.Buffer.GetPosition(count));
        return bytes;
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled)).AsTask().WaitAsync(Limit);
            if (read == 0) break;
            filled += read;
        }
        return buffer[..filled];
    }
}
