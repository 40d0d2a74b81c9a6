using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;

namespace Hyper.EndToEnd.Tests;

/// <summary>What every backend must give the same way: shutdown under load, request task groups, slow readers.</summary>
public sealed class BackendSemanticsTests
{
    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task ShutdownUnderLoad_InFlightRequestsComplete(string backend)
    {
        var entered = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 20;
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            if (Interlocked.Increment(ref entered) == count) allIn.TrySetResult();
            await Task.Delay(300);
            await Apps.RespondAsync(send, 200, "done");
        });
        var clients = Enumerable.Range(0, count).Select(_ => server.CreateClient()).ToArray();
        var requests = clients.Select(c => c.GetAsync("/")).ToArray();
        await allIn.Task.WaitAsync(TimeSpan.FromSeconds(10));

        server.BeginShutdown();
        var responses = await Task.WhenAll(requests);

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        (await server.Running.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(0);
        foreach (var client in clients) client.Dispose();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task RequestTaskGroup_ClientLeaves_ChildIsCancelledAndAwaitedBeforeRequestEnds(string backend)
    {
        var childCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var childFinishedAt = 0L;
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            var group = (RequestTaskGroup)scope.Extensions[RequestTaskGroup.ExtensionKey]!;
            group.Spawn(async token =>
            {
                try { await Task.Delay(Timeout.Infinite, token); }
                catch (OperationCanceledException) { childCancelled.TrySetResult(); }
                await Task.Delay(50, CancellationToken.None);
                Interlocked.Exchange(ref childFinishedAt, DateTime.UtcNow.Ticks);
            });
            while (await receive() is not HttpDisconnect) { }
        });
        using (var client = await RawHttpClient.ConnectAsync(server))
        {
            await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            await Task.Delay(200);
        }

        await childCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var entries = await server.AccessLog.WaitForAsync(1);
        entries.Should().ContainSingle();
        Interlocked.Read(ref childFinishedAt).Should().BeGreaterThan(0, "the request ends only after its task group");
        entries[0].Timestamp.UtcTicks.Should().BeLessThan(Interlocked.Read(ref childFinishedAt));
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task SlowReader_BelowMinimumResponseRate_IsCut(string backend)
    {
        var raised = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            await send(new HttpResponseStart(200, []));
            var chunk = new byte[64 * 1024];
            try
            {
                // Bounded: 256 MiB is far more than loopback socket buffers hold.
                for (var i = 0; i < 4096; i++) await send(new HttpResponseBody(chunk, MoreBody: true));
                raised.TrySetResult(null);
            }
            catch (Exception ex) { raised.TrySetResult(ex); }
        }, o => o with { MinResponseRate = 1_000_000, MinResponseRateGrace = TimeSpan.FromMilliseconds(300) });
        using var client = await RawHttpClient.ConnectAsync(server);
        client.Socket.ReceiveBufferSize = 4096;

        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        (await raised.Task.WaitAsync(TimeSpan.FromSeconds(20))).Should().BeOfType<ClientDisconnectedException>();
    }
}
