using Autofac;
using Hyper.Backends.Structured;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;

namespace Hyper.Backends.Structured.Tests;

public sealed class StructuredBackendTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_MainReturns_LeftoverTasksCancelledAndAwaited()
    {
        var backend = new StructuredBackend();
        var leftoverCancelled = false;

        await backend.RunAsync(token =>
        {
            backend.RootScope.Spawn(async t =>
            {
                try { await Task.Delay(Timeout.Infinite, t); }
                catch (OperationCanceledException) { await Task.Delay(50, CancellationToken.None); leftoverCancelled = true; }
            });
            return Task.CompletedTask;
        }, CancellationToken.None).WaitAsync(Bound);

        leftoverCancelled.Should().BeTrue();
        backend.LiveTasks.Should().Be(0);
        backend.Root.IsClosed.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_MainFails_FailureRaised()
    {
        var backend = new StructuredBackend();

        var run = () => backend.RunAsync(_ => throw new InvalidOperationException("main failed"), CancellationToken.None);

        await run.Should().ThrowAsync<InvalidOperationException>().WithMessage("main failed");
    }

    [Fact]
    public async Task RunAsync_TokenCancelled_CancelsTheRootAndMainsToken()
    {
        var backend = new StructuredBackend();
        using var stop = new CancellationTokenSource();
        var mainStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = backend.RunAsync(async token =>
        {
            mainStarted.SetResult();
            try { await Task.Delay(Timeout.Infinite, token); }
            catch (OperationCanceledException) { }
        }, stop.Token);
        await mainStarted.Task.WaitAsync(Bound);

        stop.Cancel();

        await running.WaitAsync(Bound);
        backend.LiveTasks.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_SecondRun_Throws()
    {
        var backend = new StructuredBackend();
        await backend.RunAsync(_ => Task.CompletedTask, CancellationToken.None);

        var again = () => backend.RunAsync(_ => Task.CompletedTask, CancellationToken.None);

        await again.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task BindAsync_AfterUnbind_AcceptReturnsNull()
    {
        await using var backend = new StructuredBackend();
        var listeners = await backend.BindAsync(new BindAddress(BindKind.Tcp, "127.0.0.1", 0), 16);
        var listener = listeners.Should().ContainSingle().Subject;
        var accepting = listener.AcceptAsync().AsTask();

        await listener.UnbindAsync();

        (await accepting.WaitAsync(Bound)).Should().BeNull();
    }

    [Fact]
    public async Task BindAsync_RootCancelled_PendingAcceptReturnsNull()
    {
        var backend = new StructuredBackend();
        var listener = (await backend.BindAsync(new BindAddress(BindKind.Tcp, "127.0.0.1", 0), 16))[0];
        var accepting = listener.AcceptAsync().AsTask();

        backend.Root.Cancel();

        (await accepting.WaitAsync(Bound)).Should().BeNull();
        await listener.DisposeAsync();
        await backend.DisposeAsync();
    }

    [Fact]
    public void Module_Registered_ResolvesTheBackendByItsName()
    {
        var builder = new ContainerBuilder();
        builder.RegisterModule<StructuredBackendModule>();
        using var container = builder.Build();

        var backend = container.ResolveKeyed<IServerBackend>("structured");

        backend.Should().BeOfType<StructuredBackend>().Which.Name.Should().Be(StructuredBackend.BackendName);
    }
}
