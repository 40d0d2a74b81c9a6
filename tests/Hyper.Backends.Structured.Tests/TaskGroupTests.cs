using Hyper.Backends.Structured;

namespace Hyper.Backends.Structured.Tests;

public sealed class TaskGroupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CloseAsync_TasksStillRunning_WaitsForAllOfThem()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = 0;
        var group = new TaskGroup();
        for (var i = 0; i < 3; i++)
        {
            group.Spawn(async _ =>
            {
                await release.Task;
                Interlocked.Increment(ref finished);
            });
        }

        var closing = group.CloseAsync().AsTask();
        await Task.Delay(50);
        closing.IsCompleted.Should().BeFalse();
        group.LiveTasks.Should().Be(3);

        release.SetResult();
        await closing.WaitAsync(Bound);
        finished.Should().Be(3);
        group.LiveTasks.Should().Be(0);
        group.IsClosed.Should().BeTrue();
    }

    [Fact]
    public async Task CloseAsync_NestedGroupStillRunning_WaitsForItsTasks()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var group = new TaskGroup();
        var child = group.CreateChildGroup();
        var grandchild = child.CreateChildGroup();
        var finished = false;
        grandchild.Spawn(async _ =>
        {
            await release.Task;
            finished = true;
        });

        group.LiveTasks.Should().Be(1);
        var closing = group.CloseAsync().AsTask();
        await Task.Delay(50);
        closing.IsCompleted.Should().BeFalse();

        release.SetResult();
        await closing.WaitAsync(Bound);
        finished.Should().BeTrue();
        grandchild.IsClosed.Should().BeTrue();
    }

    [Fact]
    public async Task Spawn_TaskFails_SiblingsCancelledAndFailureRaisedAtClose()
    {
        var group = new TaskGroup();
        var siblingCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        group.Spawn(async token =>
        {
            try { await Task.Delay(Timeout.Infinite, token); }
            catch (OperationCanceledException) { siblingCancelled.SetResult(); throw; }
        });
        group.Spawn(_ => throw new InvalidOperationException("boom"));

        await siblingCancelled.Task.WaitAsync(Bound);
        var close = async () => await group.CloseAsync();

        (await close.Should().ThrowAsync<InvalidOperationException>()).WithMessage("boom");
        group.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task Spawn_SeveralTasksFail_CloseRaisesAggregateOfAll()
    {
        var group = new TaskGroup();
        var bothStarted = new CountdownEvent(2);
        group.Spawn(async _ =>
        {
            bothStarted.Signal();
            await Task.Yield();
            bothStarted.Wait(Bound);
            throw new InvalidOperationException("first");
        });
        group.Spawn(async _ =>
        {
            bothStarted.Signal();
            await Task.Yield();
            bothStarted.Wait(Bound);
            throw new FormatException("second");
        });

        var close = async () => await group.CloseAsync();

        var thrown = await close.Should().ThrowAsync<AggregateException>();
        thrown.Which.InnerExceptions.Select(e => e.GetType()).Should()
            .BeEquivalentTo([typeof(InvalidOperationException), typeof(FormatException)]);
    }

    [Fact]
    public async Task Spawn_TaskEndsWithCancellationOfItsGroup_IsNotAFailure()
    {
        var group = new TaskGroup();
        group.Spawn(token => Task.Delay(Timeout.Infinite, token));

        group.Cancel();

        await group.Invoking(g => g.CloseAsync().AsTask()).Should().NotThrowAsync();
    }

    [Fact]
    public async Task Spawn_TaskThrowsCancellationOfAnotherToken_IsAFailure()
    {
        var group = new TaskGroup();
        group.Spawn(_ => throw new OperationCanceledException("not ours"));

        var close = async () => await group.CloseAsync();

        await close.Should().ThrowAsync<OperationCanceledException>().WithMessage("not ours");
    }

    [Fact]
    public async Task Cancel_Parent_CancelsEveryNestedGroup()
    {
        var group = new TaskGroup();
        var child = group.CreateChildGroup();
        var grandchild = child.CreateChildGroup();
        var observed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        grandchild.Spawn(async token =>
        {
            try { await Task.Delay(Timeout.Infinite, token); }
            finally { observed.SetResult(); }
        });

        group.Cancel();

        await observed.Task.WaitAsync(Bound);
        child.Token.IsCancellationRequested.Should().BeTrue();
        grandchild.Token.IsCancellationRequested.Should().BeTrue();
        await group.CloseAsync();
    }

    [Fact]
    public async Task Cancel_Child_LeavesParentAndSiblingsRunning()
    {
        var group = new TaskGroup();
        var cancelled = group.CreateChildGroup();
        var sibling = group.CreateChildGroup();

        cancelled.Cancel();

        group.Token.IsCancellationRequested.Should().BeFalse();
        sibling.Token.IsCancellationRequested.Should().BeFalse();
        await cancelled.CloseAsync();
        await sibling.CloseAsync();
        await group.CloseAsync();
    }

    [Fact]
    public async Task ChildFailure_RaisedToItsOwner_NotToTheParent()
    {
        var group = new TaskGroup();
        var child = group.CreateChildGroup();
        child.Spawn(_ => throw new InvalidOperationException("child"));

        var closeChild = async () => await child.CloseAsync();

        await closeChild.Should().ThrowAsync<InvalidOperationException>();
        group.Token.IsCancellationRequested.Should().BeFalse();
        await group.Invoking(g => g.CloseAsync().AsTask()).Should().NotThrowAsync();
    }

    [Fact]
    public async Task Spawn_AfterClose_Throws()
    {
        var group = new TaskGroup();
        var child = group.CreateChildGroup();
        await group.CloseAsync();

        group.Invoking(g => g.Spawn(_ => Task.CompletedTask)).Should().Throw<ObjectDisposedException>();
        child.Invoking(c => c.Spawn(_ => Task.CompletedTask)).Should().Throw<ObjectDisposedException>();
        group.Invoking(g => g.CreateChild()).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task Spawn_FromRunningTaskWhileClosing_IsAllowedAndAwaited()
    {
        var group = new TaskGroup();
        var secondRan = false;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        group.Spawn(async _ =>
        {
            await release.Task;
            group.Spawn(async _ =>
            {
                await Task.Delay(30);
                secondRan = true;
            });
        });

        var closing = group.CloseAsync().AsTask();
        release.SetResult();
        await closing.WaitAsync(Bound);

        secondRan.Should().BeTrue();
    }

    [Fact]
    public async Task WhenAllAsync_TaskFails_CompletesWithoutThrowing()
    {
        var group = new TaskGroup();
        group.Spawn(_ => throw new InvalidOperationException());

        await group.Invoking(g => g.WhenAllAsync()).Should().NotThrowAsync();
        group.LiveTasks.Should().Be(0);
    }

    [Fact]
    public async Task Open_InsideATaskOfAGroup_NestsInThatGroup()
    {
        var outer = new TaskGroup();
        var innerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var innerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        outer.Spawn(async _ =>
        {
            await using var inner = TaskGroup.Open();
            inner.Spawn(async token =>
            {
                innerStarted.SetResult();
                try { await Task.Delay(Timeout.Infinite, token); }
                catch (OperationCanceledException) { innerCancelled.SetResult(); }
            });
        });
        await innerStarted.Task.WaitAsync(Bound);
        outer.LiveTasks.Should().Be(2);

        outer.Cancel();

        await innerCancelled.Task.WaitAsync(Bound);
        await outer.CloseAsync().AsTask().WaitAsync(Bound);
        outer.LiveTasks.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_Nursery_WaitsForItsTasksLikeClose()
    {
        var ran = false;
        await using (var nursery = TaskGroup.Open())
        {
            nursery.Spawn(async _ =>
            {
                await Task.Delay(30);
                ran = true;
            });
        }

        ran.Should().BeTrue();
    }
}
