using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Transport.Sockets.Tests.Support;

namespace Hyper.Transport.Sockets.Tests;

/// <summary>Binding (tcp, unix) and accepting, with and without a per-connection I/O scope. Loopback only.</summary>
public sealed class SocketListenerTests
{
    private static readonly TimeSpan Limit = Loopback.Limit;
    private static readonly BindAddress TcpLoopback = new(BindKind.Tcp, "127.0.0.1", 0);

    [Fact]
    public async Task Bind_PortZero_ReportsRealPortAndAcceptsConnection()
    {
        await using var listener = SocketListener.Bind(TcpLoopback, 16);
        var endPoint = (IPEndPoint)listener.EndPoint;
        endPoint.Port.Should().BeGreaterThan(0);

        using var client = await Loopback.ConnectAsync(endPoint);
        var connection = await listener.AcceptAsync().AsTask().WaitAsync(Limit);

        connection.Should().BeOfType<SocketConnection>();
        ((IPEndPoint)connection!.RemoteEndPoint!).Port.Should().Be(((IPEndPoint)client.LocalEndPoint!).Port);
        await CloseAsync(connection.Transport, client);
        await connection.DisposeAsync().AsTask().WaitAsync(Limit);
    }

    [Fact]
    public async Task AcceptAsync_WithScopeFactory_RunsEachConnectionInItsOwnScope()
    {
        var scopes = new List<RecordingTaskScope>();
        ITaskScope CreateScope()
        {
            var scope = new RecordingTaskScope();
            scopes.Add(scope);
            return scope;
        }
        await using var listener = SocketListener.Bind(TcpLoopback, 16, CreateScope);
        using var client = await Loopback.ConnectAsync(listener.EndPoint);

        var connection = (await listener.AcceptAsync().AsTask().WaitAsync(Limit))!;

        scopes.Should().ContainSingle().Which.Spawned.Should().Be(2);
        await CloseAsync(connection.Transport, client);
        await connection.DisposeAsync().AsTask().WaitAsync(Limit);
        scopes[0].CloseCalls.Should().Be(1);
    }

    [Fact]
    public async Task AcceptAsync_ScopeFactoryClosed_ReturnsNullAndDropsSocket()
    {
        await using var listener = SocketListener.Bind(TcpLoopback, 16,
            () => throw new ObjectDisposedException("group", "closed"));
        using var client = await Loopback.ConnectAsync(listener.EndPoint);

        var connection = await listener.AcceptAsync().AsTask().WaitAsync(Limit);

        connection.Should().BeNull();
        (await client.ReceiveAsync(new byte[1]).WaitAsync(Limit)).Should().Be(0, "the accepted socket was closed, not leaked");
    }

    [Fact]
    public async Task AcceptAsync_StoppingCancelled_PendingAcceptReturnsNull()
    {
        using var stopping = new CancellationTokenSource();
        await using var listener = SocketListener.Bind(TcpLoopback, 16, stopping: stopping.Token);
        var accepting = listener.AcceptAsync().AsTask();

        stopping.Cancel();

        (await accepting.WaitAsync(Limit)).Should().BeNull();
    }

    [Fact]
    public async Task AcceptAsync_CallerCancelled_ReturnsNull()
    {
        await using var listener = SocketListener.Bind(TcpLoopback, 16);
        using var cancel = new CancellationTokenSource();
        var accepting = listener.AcceptAsync(cancel.Token).AsTask();

        cancel.Cancel();

        (await accepting.WaitAsync(Limit)).Should().BeNull();
    }

    [Fact]
    public async Task AcceptAsync_AfterUnbind_ReturnsNull()
    {
        var listener = SocketListener.Bind(TcpLoopback, 16);
        var accepting = listener.AcceptAsync().AsTask();

        await listener.UnbindAsync();

        (await accepting.WaitAsync(Limit)).Should().BeNull();
        (await listener.AcceptAsync().AsTask().WaitAsync(Limit)).Should().BeNull();
    }

    [Fact]
    public async Task Bind_UnixPathWithStaleFile_ReplacesItAndRemovesItOnUnbind()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyper-sockets-{Guid.NewGuid():N}.sock");
        await File.WriteAllTextAsync(path, "stale");
        try
        {
            var listener = SocketListener.Bind(new BindAddress(BindKind.Unix, "", 0, UnixPath: path), 16);
            using var client = await Loopback.ConnectAsync(new UnixDomainSocketEndPoint(path));
            var connection = (await listener.AcceptAsync().AsTask().WaitAsync(Limit))!;
            await client.SendAsync("x"u8.ToArray());
            (await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Limit)).Buffer.Length.Should().Be(1);

            await listener.UnbindAsync();

            File.Exists(path).Should().BeFalse();
            connection.Abort();
            await connection.DisposeAsync().AsTask().WaitAsync(Limit);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task CloseAsync(IDuplexPipe transport, Socket client)
    {
        client.Shutdown(SocketShutdown.Send);
        await transport.Input.CompleteAsync();
        await transport.Output.CompleteAsync();
        (await client.ReceiveAsync(new byte[1]).WaitAsync(Limit)).Should().Be(0);
    }
}
