using Hyper.Backends.Structured.Tests.Support;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.Structured.Tests;

/// <summary>Issue #3's structured-ownership check, over a real socket: a request's tasks end before the request does.</summary>
public sealed class StructuredOwnershipTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RequestTaskGroup_ClientDisconnects_ChildCancelledAndFinishedBeforeRequestAndConnectionEnd()
    {
        var appWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var childObservedCancellation = false;
        var childFinished = false;
        bool? childFinishedAtAccessLog = null;
        int? connectionsAtAccessLog = null;
        StructuredServer? server = null;
        await using var running = server = await StructuredServer.StartAsync(async (scope, receive, send) =>
        {
            if (scope is not HttpScope http) return;
            var group = (RequestTaskGroup)http.Extensions[RequestTaskGroup.ExtensionKey]!;
            group.Spawn(async token =>
            {
                try { await Task.Delay(Timeout.Infinite, token); }
                catch (OperationCanceledException) { Volatile.Write(ref childObservedCancellation, true); }
                // Cleanup that takes a while: the request must still wait for it.
                await Task.Delay(200, CancellationToken.None);
                Volatile.Write(ref childFinished, true);
            });
            appWaiting.SetResult();
            while (await receive() is not HttpDisconnect) { }
        }, TimeSpan.FromSeconds(5), onAccessLog: _ =>
        {
            childFinishedAtAccessLog = Volatile.Read(ref childFinished);
            connectionsAtAccessLog = server!.Server.ConnectionCount;
        });
        using (var client = await server.ConnectAsync())
        {
            await RawExchange.SendGetAsync(client, "/watch");
            await appWaiting.Task.WaitAsync(Bound);
            server.Server.ConnectionCount.Should().Be(1);
        }

        await WaitUntilAsync(() => server.Server.ConnectionCount == 0);

        Volatile.Read(ref childObservedCancellation).Should().BeTrue();
        server.AccessLog.Entries.Should().ContainSingle();
        childFinishedAtAccessLog.Should().BeTrue("the request is not over until its task group is");
        connectionsAtAccessLog.Should().Be(1, "the access log entry is written before the connection closes");
        server.BeginShutdown();
        (await server.Running.WaitAsync(Bound)).Should().Be(0);
        server.Backend.LiveTasks.Should().Be(0);
    }

    [Fact]
    public async Task RequestTaskGroup_WhileRequestRuns_ChildCountedUnderTheRoot()
    {
        var childRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StructuredServer.StartAsync(async (scope, receive, send) =>
        {
            if (scope is not HttpScope http) return;
            var group = (RequestTaskGroup)http.Extensions[RequestTaskGroup.ExtensionKey]!;
            group.Spawn(async _ =>
            {
                childRunning.SetResult();
                await release.Task;
            });
            await Respond.TextAsync(send, 200, "spawned");
        }, TimeSpan.FromSeconds(5));
        using var client = await server.ConnectAsync();
        await RawExchange.SendGetAsync(client, "/");
        await childRunning.Task.WaitAsync(Bound);
        // accept loop + connection driver + the socket's receive and send loops + the request's child
        var withChild = server.Backend.LiveTasks;
        withChild.Should().BeGreaterThanOrEqualTo(5);

        release.SetResult();
        var response = await RawExchange.ReadResponseAsync(client, Bound);

        response.Should().Be((200, "spawned"));
        await WaitUntilAsync(() => server.Backend.LiveTasks == withChild - 1);
    }

    [Fact]
    public async Task Shutdown_IdleServer_NothingLeftRunning()
    {
        var server = await StructuredServer.StartAsync(async (scope, receive, send) =>
        {
            if (scope is HttpScope) await Respond.TextAsync(send, 200, "ok");
        }, TimeSpan.FromSeconds(5));
        using (var client = await server.ConnectAsync())
        {
            await RawExchange.SendGetAsync(client, "/");
            (await RawExchange.ReadResponseAsync(client, Bound)).Status.Should().Be(200);
            server.Backend.LiveTasks.Should().BeGreaterThan(0);

            server.BeginShutdown();
            (await RawExchange.WaitForCloseAsync(client, Bound)).Should().BeTrue();
        }
        (await server.Running.WaitAsync(Bound)).Should().Be(0);

        server.Backend.LiveTasks.Should().Be(0);
        server.Backend.Root.IsClosed.Should().BeTrue();
        await server.DisposeAsync();
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        condition().Should().BeTrue();
    }
}
