using System.Diagnostics;
using Hyper.Backends.Structured.Tests.Support;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;

namespace Hyper.Backends.Structured.Tests;

/// <summary>Shutdown is the root group's cancellation with a grace period (docs/architecture.md, Backends).</summary>
public sealed class StructuredShutdownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Shutdown_TwentySlowRequestsInFlight_AllCompleteWith200WithinGracefulTimeout()
    {
        const int requests = 20;
        var gracefulTimeout = TimeSpan.FromSeconds(5);
        var entered = 0;
        var allEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StructuredServer.StartAsync(async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            if (Interlocked.Increment(ref entered) == requests) allEntered.SetResult();
            await Task.Delay(300);
            await Respond.TextAsync(send, 200, "slow done");
        }, gracefulTimeout);
        var clients = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => server.ConnectAsync()));
        try
        {
            await Task.WhenAll(clients.Select(c => RawExchange.SendGetAsync(c, "/slow")));
            await allEntered.Task.WaitAsync(Bound);
            var clock = Stopwatch.StartNew();

            server.BeginShutdown();

            var responses = await Task.WhenAll(clients.Select(c => RawExchange.ReadResponseAsync(c, Bound)));
            responses.Should().AllSatisfy(r => r.Should().Be((200, "slow done")));
            foreach (var client in clients) client.Dispose();
            (await server.Running.WaitAsync(Bound)).Should().Be(0);
            clock.Elapsed.Should().BeLessThan(gracefulTimeout);
            server.Backend.LiveTasks.Should().Be(0);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task Shutdown_RequestLongerThanGracefulTimeout_AbortedAndShutdownReturns()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StructuredServer.StartAsync(async (scope, receive, send) =>
        {
            if (scope is not HttpScope http) return;
            var group = (RequestTaskGroup)http.Extensions[RequestTaskGroup.ExtensionKey]!;
            entered.SetResult();
            try { await Task.Delay(TimeSpan.FromSeconds(30), group.Token); }
            catch (OperationCanceledException) { appCancelled.SetResult(); throw; }
        }, TimeSpan.FromMilliseconds(300));
        using var client = await server.ConnectAsync();
        await RawExchange.SendGetAsync(client, "/forever");
        await entered.Task.WaitAsync(Bound);
        var clock = Stopwatch.StartNew();

        server.BeginShutdown();

        (await RawExchange.WaitForCloseAsync(client, Bound)).Should().BeTrue();
        await appCancelled.Task.WaitAsync(Bound);
        (await server.Running.WaitAsync(Bound)).Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        server.Backend.LiveTasks.Should().Be(0);
    }

    [Fact]
    public async Task Shutdown_AppIgnoresCancellation_ShutdownStillReturnsAndReportsTheStraggler()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StructuredServer.StartAsync(async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            entered.SetResult();
            await release.Task;
        }, TimeSpan.FromMilliseconds(300));
        using var client = await server.ConnectAsync();
        await RawExchange.SendGetAsync(client, "/stuck");
        await entered.Task.WaitAsync(Bound);

        server.BeginShutdown();

        (await RawExchange.WaitForCloseAsync(client, Bound)).Should().BeTrue();
        (await server.Running.WaitAsync(Bound)).Should().Be(0);
        server.Backend.LiveTasks.Should().BeGreaterThan(0, "a .NET task cannot be killed; the backend says so");
        server.Backend.Root.Token.IsCancellationRequested.Should().BeTrue();

        release.SetResult();
        await StructuredOwnershipTests.WaitUntilAsync(() => server.Backend.LiveTasks == 0);
        server.Backend.Root.IsClosed.Should().BeTrue();
    }
}
