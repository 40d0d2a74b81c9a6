using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Middleware;

namespace Hyper.Core.Tests.Middleware;

/// <summary>At most <c>limit</c> requests run in the application; one more gets 503 at once; a finished one frees its slot.</summary>
public sealed class ConcurrencyLimitMiddlewareTests
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    private async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        Interlocked.Increment(ref _entered);
        await _release.Task;
        await send(new HttpResponseStart(200, []));
        await send(HttpResponseBody.EmptyFinal);
    }

    private static HttpScope Scope() => new()
    {
        HttpVersion = "1.1",
        Method = "GET",
        Scheme = "http",
        Path = "/",
        RawPath = "/"u8.ToArray(),
        QueryString = ReadOnlyMemory<byte>.Empty,
        Headers = [],
        Client = new IPEndPoint(IPAddress.Loopback, 1),
    };

    private static async Task<int> RequestAsync(ConcurrencyLimitMiddleware limit)
    {
        var status = 0;
        await limit.InvokeAsync(Scope(), () => ValueTask.FromResult<AsgiMessage>(HttpRequest.Empty), message =>
        {
            if (message is HttpResponseStart start) status = start.Status;
            return ValueTask.CompletedTask;
        });
        return status;
    }

    [Fact]
    public async Task OverTheLimit_503AtOnce_ThenSlotsFreeWhenRequestsFinish()
    {
        var limit = new ConcurrencyLimitMiddleware(App, 2);
        var first = RequestAsync(limit);
        var second = RequestAsync(limit);

        (await RequestAsync(limit).WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(503);
        _entered.Should().Be(2, "the rejected request never reached the application");
        limit.Running.Should().Be(2);

        _release.SetResult();
        (await first).Should().Be(200);
        (await second).Should().Be(200);
        limit.Running.Should().Be(0);
        (await RequestAsync(limit)).Should().Be(200);
    }

    [Fact]
    public async Task AppThrows_SlotStillFreed()
    {
        var limit = new ConcurrencyLimitMiddleware((_, _, _) => throw new InvalidOperationException("boom"), 1);

        await FluentActions.Awaiting(() => RequestAsync(limit)).Should().ThrowAsync<InvalidOperationException>();

        limit.Running.Should().Be(0);
    }

    [Fact]
    public async Task LifespanScope_PassesThroughUncounted()
    {
        var reached = false;
        var limit = new ConcurrencyLimitMiddleware((_, _, _) => { reached = true; return ValueTask.CompletedTask; }, 1);

        await limit.InvokeAsync(new LifespanScope(), () => ValueTask.FromResult<AsgiMessage>(LifespanStartup.Instance), _ => ValueTask.CompletedTask);

        reached.Should().BeTrue();
        limit.Running.Should().Be(0);
    }
}
