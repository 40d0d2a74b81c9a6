using System.Net;
using System.Net.Sockets;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Protocols;
using Hyper.Http11;

namespace Hyper.EndToEnd.Tests;

/// <summary>
/// The host API an <c>IHostedService</c> or an ASP.NET Core <c>IServer</c> builds on: <see cref="HyperServer.StartAsync"/>
/// returns once bound, <see cref="HyperServer.StopAsync"/> drains then runs lifespan shutdown, on every backend.
/// </summary>
public sealed class HostApiTests
{
    private static HyperServer Create(Core.Concurrency.IServerBackend backend, AsgiApplication app, Func<HyperOptions, HyperOptions>? configure = null)
    {
        var options = new HyperOptions
        {
            Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0), new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
            GracefulTimeout = TimeSpan.FromSeconds(5),
        };
        options = (configure?.Invoke(options) ?? options).Validate();
        return new HyperServer(options, app, backend, new ProtocolRegistry([Http11Module.Registration(options)]),
            new RecordingAccessLog(), TestLoggerFactory.Create());
    }

    private static async Task<RawHttpClient> ConnectAsync(HyperServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)server.BoundAddresses[0]).Port);
        return new RawHttpClient(socket);
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StartAsync_ReturnsOnceBound_BoundAddressesServe(string backendName)
    {
        await using var backend = TestServer.CreateBackend(backendName);
        var server = Create(backend, Apps.Basic);
        server.BoundAddresses.Should().BeEmpty("nothing is bound before start");

        await server.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var bound = server.BoundAddresses.Cast<IPEndPoint>().ToArray();
        bound.Should().HaveCount(2, "one per bind address");
        bound.Should().OnlyContain(e => e.Port != 0, "port 0 was resolved to the real port");
        bound.Select(e => e.Port).Should().OnlyHaveUniqueItems();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var endPoint in bound)
            (await client.GetStringAsync($"http://127.0.0.1:{endPoint.Port}/")).Should().Be("Hello, World!");

        await server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var endPoint in bound)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var connect = async () => await socket.ConnectAsync(IPAddress.Loopback, endPoint.Port);
            await connect.Should().ThrowAsync<SocketException>("the listeners are closed after stop");
        }
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StopAsync_InFlightRequestFinishes_ThenLifespanShutdownRuns(string backendName)
    {
        var order = new List<string>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = TestServer.CreateBackend(backendName);
        var server = Create(backend, async (scope, receive, send) =>
        {
            if (scope is LifespanScope)
            {
                await receive();
                await send(LifespanStartupComplete.Instance);
                await receive();
                lock (order) order.Add("lifespan.shutdown");
                await send(LifespanShutdownComplete.Instance);
                return;
            }
            entered.TrySetResult();
            await Task.Delay(500);
            lock (order) order.Add("response");
            await Apps.RespondAsync(send, 200, "finished");
        });
        await server.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        using var client = await ConnectAsync(server);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var stop = server.StopAsync(CancellationToken.None);

        (await client.ReadResponseAsync()).BodyText.Should().Be("finished");
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        lock (order) order.Should().Equal("response", "lifespan.shutdown");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StopAsync_TokenCancelled_AbortsTheDrainBeforeGracefulTimeout(string backendName)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = TestServer.CreateBackend(backendName);
        var server = Create(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            entered.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30));
        }, o => o with { GracefulTimeout = TimeSpan.FromSeconds(30) });
        await server.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        using var client = await ConnectAsync(server);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        using var hurry = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await server.StopAsync(hurry.Token).WaitAsync(TimeSpan.FromSeconds(10));

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the host's token, not the 30 s graceful timeout, ended the drain");
        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(3))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task StartAsync_BindRefused_ThrowsAndSecondStartIsRefused(string backendName)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using var backend = TestServer.CreateBackend(backendName);
        var server = Create(backend, Apps.Basic, o => o with { Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", port)] });

        var start = async () => await server.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        await start.Should().ThrowAsync<SocketException>();
        server.BoundAddresses.Should().BeEmpty();
        var again = async () => await server.StartAsync(CancellationToken.None);
        await again.Should().ThrowAsync<InvalidOperationException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task RunAsync_BindRefused_ReturnsBindFailedExitCode(string backendName)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using var backend = TestServer.CreateBackend(backendName);
        var server = Create(backend, Apps.Basic, o => o with { Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", port)] });

        var exitCode = await server.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        exitCode.Should().Be(HyperServer.BindFailedExitCode);
    }

    [Fact]
    public async Task StopAsync_BeforeStart_DoesNothing()
    {
        await using var backend = TestServer.CreateBackend("thread-pool");
        var server = Create(backend, Apps.Basic);

        await server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));

        server.BoundAddresses.Should().BeEmpty();
    }
}
