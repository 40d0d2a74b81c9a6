using System.Net.Sockets;
using Hyper.Core.Application;
using Hyper.Core.Hosting;

namespace Hyper.EndToEnd.Tests;

public sealed class ShutdownAndLifespanTests
{
    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GracefulShutdown_InFlightRequestCompletes_IdleConnectionsClose(string backend)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope http) return;
            if (http.Path == "/slow")
            {
                entered.TrySetResult();
                await Task.Delay(700);
            }
            await Apps.RespondAsync(send, 200, "finished");
        });
        using var idle = await RawHttpClient.ConnectAsync(server);
        await idle.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        (await idle.ReadResponseAsync()).Status.Should().Be(200);
        using var busy = await RawHttpClient.ConnectAsync(server);
        await busy.SendAsync("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        server.BeginShutdown();

        (await idle.WaitForCloseAsync(TimeSpan.FromSeconds(3))).Should().BeTrue();
        var response = await busy.ReadResponseAsync();
        response.BodyText.Should().Be("finished");
        response.Header("connection").Should().Be("close");
        (await server.Running.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
        var connect = async () => await server.ConnectAsync();
        await connect.Should().ThrowAsync<SocketException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GracefulShutdown_ConnectionThatNeverSpoke_ClosedAndServerExits(string backend)
    {
        // A browser's speculative connection: connected, not one byte sent. Before a protocol is chosen it is no
        // driver's yet, so shutdown has to end its wait itself (keep-alive 60 s would otherwise hold the server).
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { KeepAliveTimeout = TimeSpan.FromSeconds(60) });
        using var silent = await RawHttpClient.ConnectAsync(server);
        await Task.Delay(200);

        server.BeginShutdown();

        (await server.Running.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(0);
        (await silent.WaitForCloseAsync(TimeSpan.FromSeconds(3))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task IdleFirstConnection_NoBytesWithinKeepAlive_Closed(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, Apps.Basic, o => o with { KeepAliveTimeout = TimeSpan.FromMilliseconds(500) });
        using var silent = await RawHttpClient.ConnectAsync(server);

        (await silent.WaitForCloseAsync(TimeSpan.FromSeconds(4))).Should().BeTrue();
        using var client = server.CreateClient();
        (await client.GetStringAsync(server.BaseUri)).Should().Be("Hello, World!");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task GracefulShutdown_RequestOverGracefulTimeout_IsAborted(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            await Task.Delay(TimeSpan.FromSeconds(30));
        }, o => o with { GracefulTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = await RawHttpClient.ConnectAsync(server);
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await Task.Delay(100);

        server.BeginShutdown();

        (await client.WaitForCloseAsync(TimeSpan.FromSeconds(3))).Should().BeTrue();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Lifespan_StartupStateReachesRequests_ShutdownRunsAfterDrain(string backend)
    {
        var shutdownSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is LifespanScope lifespan)
            {
                (await receive()).Should().BeOfType<LifespanStartup>();
                lifespan.State["greeting"] = "from-startup";
                await send(LifespanStartupComplete.Instance);
                (await receive()).Should().BeOfType<LifespanShutdown>();
                shutdownSeen.SetResult();
                await send(LifespanShutdownComplete.Instance);
                return;
            }
            await Apps.RespondAsync(send, 200, (string)scope.State["greeting"]!);
        });
        using var client = server.CreateClient();

        (await client.GetStringAsync("/")).Should().Be("from-startup");
        server.BeginShutdown();
        await shutdownSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Lifespan_StartupFailed_ServerExitsNonZero(string backend)
    {
        var start = async () => await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is LifespanScope)
            {
                await receive();
                await send(new LifespanStartupFailed("database unreachable"));
                return;
            }
            await Apps.RespondAsync(send, 200, "never");
        });

        (await start.Should().ThrowAsync<LifespanFailureException>()).WithMessage("*database unreachable*");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Lifespan_AppWithoutLifespanSupport_IsTolerated(string backend)
    {
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) throw new NotSupportedException("only http");
            await Apps.RespondAsync(send, 200, "ok");
        });
        using var client = server.CreateClient();

        (await client.GetStringAsync("/")).Should().Be("ok");
    }
}
