using Hyper.Backends.Structured;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Backends.Structured.Tests;

public sealed class CancelScopeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void MoveOnAfter_BeforeDeadline_TokenNotCancelled()
    {
        using var scope = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(5), CancellationToken.None, _time);

        _time.Advance(TimeSpan.FromSeconds(4.9));

        scope.Token.IsCancellationRequested.Should().BeFalse();
        scope.Deadline.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(0.1));
    }

    [Fact]
    public async Task MoveOnAfter_DeadlinePasses_RunAsyncAbsorbsCancellationAndReturnsFalse()
    {
        using var scope = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(5), CancellationToken.None, _time);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = scope.RunAsync(async token =>
        {
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        await entered.Task.WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(5));

        (await running.WaitAsync(Bound)).Should().BeFalse();
        scope.DeadlineReached.Should().BeTrue();
        scope.CancelledCaught.Should().BeTrue();
    }

    [Fact]
    public async Task MoveOnAfter_BodyFinishesInTime_RunAsyncReturnsTrue()
    {
        using var scope = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(5), CancellationToken.None, _time);

        (await scope.RunAsync(_ => Task.CompletedTask)).Should().BeTrue();
        scope.CancelledCaught.Should().BeFalse();
    }

    [Fact]
    public async Task MoveOnAfter_OuterCancelled_CancellationPropagates()
    {
        using var outer = new CancellationTokenSource();
        using var scope = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(5), outer.Token, _time);
        var running = scope.RunAsync(token => Task.Delay(Timeout.Infinite, token));

        outer.Cancel();

        await running.Invoking(r => r.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
        scope.CancelCalled.Should().BeFalse();
        scope.CancelledCaught.Should().BeFalse();
    }

    [Fact]
    public async Task FailAfter_DeadlinePasses_RunAsyncThrowsTimeout()
    {
        using var scope = CancelScope.FailAfter(TimeSpan.FromSeconds(1), CancellationToken.None, _time);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = scope.RunAsync(async token =>
        {
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        await entered.Task.WaitAsync(Bound);

        _time.Advance(TimeSpan.FromSeconds(1));

        await running.Invoking(r => r.WaitAsync(Bound)).Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task FailAfter_UsingBlockCutShort_DisposeReplacesCancellationWithTimeout()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var block = async () =>
        {
            using var scope = CancelScope.FailAfter(TimeSpan.FromSeconds(1), CancellationToken.None, _time);
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, scope.Token);
        };

        var running = block();
        await entered.Task.WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(1));

        await running.Invoking(r => r.WaitAsync(Bound)).Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public void FailAfter_UsingBlockEndsInTime_DisposeDoesNotThrow()
    {
        var scope = CancelScope.FailAfter(TimeSpan.FromSeconds(1), CancellationToken.None, _time);
        _time.Advance(TimeSpan.FromMilliseconds(999));

        scope.Invoking(s => s.Dispose()).Should().NotThrow();
        _time.Advance(TimeSpan.FromSeconds(5));
        scope.Token.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public void Cancel_Explicit_CancelCalledButNotDeadline()
    {
        using var scope = CancelScope.Open(CancellationToken.None, _time);

        scope.Cancel();

        scope.Token.IsCancellationRequested.Should().BeTrue();
        scope.CancelCalled.Should().BeTrue();
        scope.DeadlineReached.Should().BeFalse();
    }

    [Fact]
    public void Deadline_MovedLater_FiresAtTheNewDeadline()
    {
        using var scope = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(1), CancellationToken.None, _time);

        scope.Deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(3);
        _time.Advance(TimeSpan.FromSeconds(2));
        scope.Token.IsCancellationRequested.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));

        scope.Token.IsCancellationRequested.Should().BeTrue();
        scope.DeadlineReached.Should().BeTrue();
    }

    [Fact]
    public void Deadline_SetInThePast_CancelsAtOnce()
    {
        using var scope = CancelScope.Open(CancellationToken.None, _time);

        scope.Deadline = _time.GetUtcNow() - TimeSpan.FromSeconds(1);

        scope.DeadlineReached.Should().BeTrue();
    }

    [Fact]
    public void Shield_OuterCancelled_ScopeNotCancelledUntilShieldDrops()
    {
        using var outer = new CancellationTokenSource();
        using var scope = CancelScope.Open(outer.Token, _time, shield: true);

        outer.Cancel();
        scope.Token.IsCancellationRequested.Should().BeFalse();

        scope.Shield = false;
        scope.Token.IsCancellationRequested.Should().BeTrue();
        scope.CancelCalled.Should().BeFalse();
    }

    [Fact]
    public void Shield_WithDeadline_OwnDeadlineStillApplies()
    {
        using var outer = new CancellationTokenSource();
        outer.Cancel();
        using var scope = CancelScope.Open(outer.Token, _time, shield: true);
        scope.Deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(2);

        scope.Token.IsCancellationRequested.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));

        scope.DeadlineReached.Should().BeTrue();
    }

    [Fact]
    public void Open_WithoutOuterToken_NestsInTheCurrentScopeAndUsesItsClock()
    {
        using var outer = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(10), CancellationToken.None, _time);
        using var inner = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(60));

        inner.Time.Should().BeSameAs(_time);
        _time.Advance(TimeSpan.FromSeconds(10));

        inner.Token.IsCancellationRequested.Should().BeTrue();
        inner.CancelCalled.Should().BeFalse();
    }

    [Fact]
    public void Dispose_Inner_RestoresTheOuterScopeAsCurrent()
    {
        using var outer = CancelScope.Open(CancellationToken.None, _time);
        CancelScope.Open().Dispose();

        using var next = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(1));
        outer.Cancel();

        next.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task MoveOnAfterAsync_InsideTaskOfGroup_UsesTheGroupsClock()
    {
        var group = new TaskGroup(_time);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        group.Spawn(async _ =>
        {
            result.SetResult(await CancelScope.MoveOnAfterAsync(TimeSpan.FromSeconds(30), async token =>
            {
                entered.SetResult();
                await Task.Delay(Timeout.Infinite, token);
            }));
        });
        await entered.Task.WaitAsync(Bound);

        _time.Advance(TimeSpan.FromSeconds(30));

        (await result.Task.WaitAsync(Bound)).Should().BeFalse();
        await group.CloseAsync();
    }

    [Fact]
    public async Task FailAfterAsync_GroupCancelledBeforeDeadline_PropagatesCancellationNotTimeout()
    {
        var group = new TaskGroup(_time);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcome = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        group.Spawn(async _ =>
        {
            try
            {
                await CancelScope.FailAfterAsync(TimeSpan.FromSeconds(30), async token =>
                {
                    entered.SetResult();
                    await Task.Delay(Timeout.Infinite, token);
                });
                outcome.SetResult(null);
            }
            catch (Exception ex)
            {
                outcome.SetResult(ex);
                throw;
            }
        });
        await entered.Task.WaitAsync(Bound);

        group.Cancel();

        (await outcome.Task.WaitAsync(Bound)).Should().BeAssignableTo<OperationCanceledException>();
        await group.Invoking(g => g.CloseAsync().AsTask()).Should().NotThrowAsync();
    }

    [Fact]
    public void MoveOnAfter_NegativeDelay_Throws()
    {
        var open = () => CancelScope.MoveOnAfter(TimeSpan.FromSeconds(-1), CancellationToken.None, _time);

        open.Should().Throw<ArgumentOutOfRangeException>();
    }
}
