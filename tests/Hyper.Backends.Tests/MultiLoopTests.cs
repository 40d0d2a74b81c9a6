using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Core.Configuration;
using Hyper.Core.Transport;

namespace Hyper.Backends.Tests;

/// <summary>Several loops: one SO_REUSEPORT listener each, and the kernel spreads connections across them.</summary>
public sealed class MultiLoopTests
{
    [Fact]
    public async Task BindAsync_TwoLoopsPortZero_BindsOneListenerPerLoopOnTheSamePort()
    {
        await using var backend = new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = 2 });
        var listeners = await backend.BindAsync(new BindAddress(BindKind.Tcp, "127.0.0.1", 0), 64);

        listeners.Should().HaveCount(2);
        listeners.Select(l => ((IPEndPoint)l.EndPoint).Port).Distinct().Should().ContainSingle().Which.Should().BeGreaterThan(0);
        foreach (var listener in listeners) await listener.UnbindAsync();
    }

    [Fact]
    public async Task Accept_FiftyConnectionsOnTwoLoops_BothLoopsServeConnections()
    {
        await using var backend = new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = 2 });
        var listeners = await backend.BindAsync(new BindAddress(BindKind.Tcp, "127.0.0.1", 0), 128);
        var port = ((IPEndPoint)listeners[0].EndPoint).Port;
        var acceptThreads = new ConcurrentBag<int>();
        var accepted = new ConcurrentBag<ITransportConnection>();
        foreach (var listener in listeners)
        {
            backend.RootScope.Spawn(async _ =>
            {
                while (await listener.AcceptAsync().ConfigureAwait(false) is { } connection)
                {
                    // An accept completes on the listener's own loop.
                    acceptThreads.Add(Environment.CurrentManagedThreadId);
                    accepted.Add(connection);
                }
            });
        }

        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
            }
            for (var i = 0; i < 200 && accepted.Count < 50; i++) await Task.Delay(10);

            accepted.Should().HaveCount(50);
            acceptThreads.Distinct().Should().BeEquivalentTo(backend.LoopThreadIds);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
            foreach (var connection in accepted) connection.Abort();
            foreach (var listener in listeners) await listener.UnbindAsync();
        }
    }
}
