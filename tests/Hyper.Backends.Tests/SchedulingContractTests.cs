namespace Hyper.Backends.Tests;

/// <summary>The task scope and the clock of the backend contract, on every backend.</summary>
public sealed class SchedulingContractTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Scope_CancelledParent_CancelsWorkInChildren(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var parent = backend.RootScope.CreateChild();
        var child = parent.CreateChild();
        var observed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.Spawn(async token =>
        {
            try { await Task.Delay(Timeout.Infinite, token); }
            catch (OperationCanceledException) { observed.TrySetResult(); }
        });

        parent.Cancel();

        await observed.Task.WaitAsync(Limit);
        child.Token.IsCancellationRequested.Should().BeTrue();
        await child.CloseAsync().AsTask().WaitAsync(Limit);
        await parent.CloseAsync().AsTask().WaitAsync(Limit);
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Scope_CloseAsync_WaitsForItsTasks(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var scope = backend.RootScope.CreateChild();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        scope.Spawn(async _ =>
        {
            await release.Task;
            finished = true;
        });

        var closing = scope.CloseAsync().AsTask();
        await Task.Delay(50);
        closing.IsCompleted.Should().BeFalse();
        release.SetResult();
        await closing.WaitAsync(Limit);
        finished.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Scope_WhenAllAsync_WaitsForChildrenAndSurvivesFailures(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var scope = backend.RootScope.CreateChild();
        var child = scope.CreateChild();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.Spawn(async _ => await release.Task);
        scope.Spawn(_ => throw new InvalidOperationException("work that fails is still over"));

        var waiting = scope.WhenAllAsync();
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse();
        release.SetResult();
        await waiting.WaitAsync(Limit);
        await child.CloseAsync().AsTask().WaitAsync(Limit);
        await scope.CloseAsync().AsTask().WaitAsync(Limit);
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Timer_OneShot_FiresOnce(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var fired = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = backend.Time.CreateTimer(_ =>
        {
            Interlocked.Increment(ref fired);
            first.TrySetResult();
        }, null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);

        await first.Task.WaitAsync(Limit);
        await Task.Delay(100);
        Volatile.Read(ref fired).Should().Be(1);
    }

    private static readonly AsyncLocal<string?> s_flowed = new();

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Timer_Callback_SeesTheCreatorsAsyncLocals(string backendName)
    {
        // As System.Threading.Timer does: the connection a failure in the callback is logged against is an AsyncLocal.
        await using var backend = BackendFactory.Create(backendName);
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_flowed.Value = "connection 42";
        using var timer = backend.Time.CreateTimer(_ => seen.TrySetResult(s_flowed.Value), null,
            TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        s_flowed.Value = null;

        (await seen.Task.WaitAsync(Limit)).Should().Be("connection 42");
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Timer_ChangedLater_FiresAtTheNewTime(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var start = backend.Time.GetTimestamp();
        var firedAfter = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = backend.Time.CreateTimer(_ => firedAfter.TrySetResult(backend.Time.GetElapsedTime(start)), null,
            TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan).Should().BeTrue();

        (await firedAfter.Task.WaitAsync(Limit)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Timer_Disposed_NeverFires(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var fired = false;
        var timer = backend.Time.CreateTimer(_ => fired = true, null, TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);

        timer.Dispose();

        await Task.Delay(150);
        fired.Should().BeFalse();
        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(BackendFactory.All), MemberType = typeof(BackendFactory))]
    public async Task Clock_Timestamps_AreMonotonic(string backendName)
    {
        await using var backend = BackendFactory.Create(backendName);
        var before = backend.Time.GetTimestamp();
        await Task.Delay(20);
        backend.Time.GetElapsedTime(before).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(15));
    }
}
