using Hyper.Core.Concurrency;

namespace Hyper.Backends.Structured;

/// <summary>
/// A cancel scope, as in trio: a region of code with its own <see cref="Token"/>, which is cancelled by
/// <see cref="Cancel"/>, by its <see cref="Deadline"/> passing, or by the scope it is nested in — unless it is a
/// <see cref="Shield"/>. Deadlines are absolute and measured on the scope's <see cref="TimeProvider"/>, which for a
/// scope opened inside a server task is the backend's clock.
/// <para>
/// Without an explicit outer token a scope nests in the code's current task group or scope (it flows with the
/// execution context), so <c>using var scope = CancelScope.MoveOnAfter(TimeSpan.FromSeconds(2));</c> in a request
/// handler is cancelled by either the two seconds or the server's shutdown, whichever comes first.
/// </para>
/// <para>
/// .NET cannot swallow an exception from a <c>using</c> block, so trio's <c>move_on_after</c> is
/// <see cref="MoveOnAfterAsync"/> (or <see cref="RunAsync"/> on a scope from <see cref="MoveOnAfter(TimeSpan)"/>):
/// the cancellation this scope caused is absorbed there. A scope from <see cref="FailAfter(TimeSpan)"/> raises
/// <see cref="TimeoutException"/> instead, from <see cref="RunAsync"/> or, in a plain <c>using</c> block, from
/// <see cref="Dispose"/> when its deadline passed while the block ran.
/// </para>
/// </summary>
public sealed class CancelScope : IDisposable
{
    // Timers take at most ~49 days; a later deadline wakes early and re-arms (OnDeadline checks the clock).
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationToken _outer;
    private readonly CancellationTokenRegistration _outerLink;
    private readonly CancelScopeKind _kind;
    private readonly AmbientCancellation? _previous;
    private readonly AmbientCancellation _self;
    private readonly object _timerSync = new();
    private ITimer? _timer;
    private DateTimeOffset _deadline = DateTimeOffset.MaxValue;
    private volatile bool _shield;
    private int _cause;
    private bool _timeoutReported;
    private bool _disposed;

    private CancelScope(CancellationToken outer, TimeProvider time, bool shield, CancelScopeKind kind, TimeSpan delay)
    {
        if (delay != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _outer = outer;
        _kind = kind;
        _shield = shield;
        Time = time;
        Token = _cancellation.Token;
        _previous = AmbientCancellation.Current;
        _self = new AmbientCancellation(_previous?.Group, Token, time);
        AmbientCancellation.Current = _self;
        if (delay != Timeout.InfiniteTimeSpan) Deadline = time.GetUtcNow() + delay;
        if (outer.CanBeCanceled) _outerLink = CallbackGuard.Register(outer, static s => ((CancelScope)s!).OnOuterCancelled(), this);
    }

    /// <summary>A scope without a deadline, nested in the current group or scope.</summary>
    public static CancelScope Open(bool shield = false) =>
        new(AmbientToken, AmbientTime, shield, CancelScopeKind.Plain, Timeout.InfiniteTimeSpan);

    /// <summary>A scope without a deadline, nested in <paramref name="outer"/>.</summary>
    public static CancelScope Open(CancellationToken outer, TimeProvider? time = null, bool shield = false) =>
        new(outer, time ?? AmbientTime, shield, CancelScopeKind.Plain, Timeout.InfiniteTimeSpan);

    /// <summary>trio's <c>move_on_after</c>: cancelled after <paramref name="delay"/>; <see cref="RunAsync"/> absorbs that cancellation.</summary>
    public static CancelScope MoveOnAfter(TimeSpan delay) =>
        new(AmbientToken, AmbientTime, false, CancelScopeKind.MoveOn, delay);

    /// <inheritdoc cref="MoveOnAfter(TimeSpan)"/>
    public static CancelScope MoveOnAfter(TimeSpan delay, CancellationToken outer, TimeProvider time) =>
        new(outer, time, false, CancelScopeKind.MoveOn, delay);

    /// <summary>trio's <c>fail_after</c>: cancelled after <paramref name="delay"/>, which then raises <see cref="TimeoutException"/>.</summary>
    public static CancelScope FailAfter(TimeSpan delay) =>
        new(AmbientToken, AmbientTime, false, CancelScopeKind.Fail, delay);

    /// <inheritdoc cref="FailAfter(TimeSpan)"/>
    public static CancelScope FailAfter(TimeSpan delay, CancellationToken outer, TimeProvider time) =>
        new(outer, time, false, CancelScopeKind.Fail, delay);

    /// <summary>Runs <paramref name="body"/> with a <paramref name="delay"/> deadline; false when the deadline cut it short.</summary>
    public static async Task<bool> MoveOnAfterAsync(TimeSpan delay, Func<CancellationToken, Task> body)
    {
        using var scope = MoveOnAfter(delay);
        return await scope.RunAsync(body).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="body"/> with a <paramref name="delay"/> deadline; <see cref="TimeoutException"/> when it passes.</summary>
    public static async Task FailAfterAsync(TimeSpan delay, Func<CancellationToken, Task> body)
    {
        using var scope = FailAfter(delay);
        await scope.RunAsync(body).ConfigureAwait(false);
    }

    /// <summary>Cancelled when the scope is cancelled, its deadline passes, or (unless shielded) its outer scope is cancelled.</summary>
    public CancellationToken Token { get; }

    /// <summary>The clock the deadline is measured on.</summary>
    public TimeProvider Time { get; }

    /// <summary>When the scope cancels itself; <see cref="DateTimeOffset.MaxValue"/> for never. May be moved while the scope is open.</summary>
    public DateTimeOffset Deadline
    {
        get { lock (_timerSync) return _deadline; }
        set
        {
            bool expired;
            lock (_timerSync)
            {
                _deadline = value;
                expired = ArmTimer();
            }
            if (expired) CancelFrom(CancelCause.Deadline);
        }
    }

    /// <summary>When set, cancellation of the outer scope does not reach this one (cleanup that must finish).</summary>
    public bool Shield
    {
        get => _shield;
        set
        {
            _shield = value;
            // An outer cancellation that arrived while shielded is delivered once the shield drops (as in trio).
            if (!value && _outer.IsCancellationRequested) CancelFrom(CancelCause.Outer);
        }
    }

    /// <summary>trio's <c>cancel_called</c>: the scope was cancelled by <see cref="Cancel"/> or by its deadline.</summary>
    public bool CancelCalled => Volatile.Read(ref _cause) is (int)CancelCause.Explicit or (int)CancelCause.Deadline;

    /// <summary>The scope was cancelled because its deadline passed.</summary>
    public bool DeadlineReached => Volatile.Read(ref _cause) == (int)CancelCause.Deadline;

    /// <summary>trio's <c>cancelled_caught</c>: <see cref="RunAsync"/> absorbed this scope's own cancellation.</summary>
    public bool CancelledCaught { get; private set; }

    /// <summary>Cancels the scope (and everything nested in it).</summary>
    public void Cancel() => CancelFrom(CancelCause.Explicit);

    /// <summary>
    /// Runs <paramref name="body"/> with <see cref="Token"/>. If this scope's own cancellation (its deadline or
    /// <see cref="Cancel"/>) stops it, returns false — or, for a <see cref="FailAfter(TimeSpan)"/> scope whose
    /// deadline passed, throws <see cref="TimeoutException"/>. A cancellation from outside propagates.
    /// </summary>
    public async Task<bool> RunAsync(Func<CancellationToken, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body(Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (CancelCalled && Token.IsCancellationRequested)
        {
            CancelledCaught = true;
            if (_kind == CancelScopeKind.Fail && DeadlineReached)
            {
                _timeoutReported = true;
                throw DeadlineExceeded();
            }
            return false;
        }
    }

    /// <summary>
    /// Closes the scope: stops its timer, unlinks it from the outer scope and restores the enclosing scope as
    /// current. A <see cref="FailAfter(TimeSpan)"/> scope whose deadline passed and was not yet reported throws
    /// <see cref="TimeoutException"/> here, replacing the cancellation that unwound the <c>using</c> block.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_timerSync) _timer?.Dispose();
        _outerLink.Unregister();
        if (ReferenceEquals(AmbientCancellation.Current, _self)) AmbientCancellation.Current = _previous;
        if (_kind == CancelScopeKind.Fail && DeadlineReached && !_timeoutReported)
        {
            _timeoutReported = true;
            throw DeadlineExceeded();
        }
    }

    private static CancellationToken AmbientToken => AmbientCancellation.Current?.Token ?? CancellationToken.None;

    private static TimeProvider AmbientTime => AmbientCancellation.Current?.Time ?? TimeProvider.System;

    private TimeoutException DeadlineExceeded() => new($"The operation did not finish before its deadline ({Deadline:O}).");

    /// <summary>Points the timer at the deadline; true when the deadline has already passed. Called under <see cref="_timerSync"/>.</summary>
    private bool ArmTimer()
    {
        if (_disposed || Token.IsCancellationRequested) return false;
        if (_deadline == DateTimeOffset.MaxValue)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return false;
        }
        var due = _deadline - Time.GetUtcNow();
        if (due <= TimeSpan.Zero) return true;
        if (due > MaxTimerDue) due = MaxTimerDue;
        if (_timer is null) _timer = CallbackGuard.CreateTimer(Time, static s => ((CancelScope)s!).OnDeadline(), this, due, Timeout.InfiniteTimeSpan);
        else _timer.Change(due, Timeout.InfiniteTimeSpan);
        return false;
    }

    private void OnDeadline()
    {
        bool expired;
        lock (_timerSync) expired = ArmTimer();
        if (expired) CancelFrom(CancelCause.Deadline);
    }

    private void OnOuterCancelled()
    {
        if (!_shield) CancelFrom(CancelCause.Outer);
    }

    private void CancelFrom(CancelCause cause)
    {
        if (Interlocked.CompareExchange(ref _cause, (int)cause, (int)CancelCause.None) != (int)CancelCause.None) return;
        try { _cancellation.Cancel(); }
        catch (AggregateException) { /* a callback's own failure; the cancellation itself happened */ }
    }

    private enum CancelCause
    {
        None,
        Outer,
        Explicit,
        Deadline,
    }

    private enum CancelScopeKind
    {
        Plain,
        MoveOn,
        Fail,
    }
}
