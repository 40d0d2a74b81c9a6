using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Concurrency;

/// <summary>
/// The one way product code hands a callback to the runtime: timers, cancellation registrations, task
/// continuations, fire-and-forget tasks, event handlers and signal handlers. An exception that escapes such a
/// callback runs on a thread nobody awaits, and on a timer or thread-pool thread it ends the whole process (issue
/// #9: a client could crash the server by closing a connection as its idle timer fired). Every callback passed
/// through here is wrapped: a failure is logged, with the connection it belongs to when known, and goes no further.
/// A repository test (tests/Hyper.Core.Tests/Concurrency/CallbackGuardUsageTests.cs) scans the product assemblies'
/// IL and fails on any such API called from anywhere else, and on any <c>async void</c> method.
/// </summary>
public static class CallbackGuard
{
    private static ILogger? s_logger;

    /// <summary>Where failures are logged; the host sets it once (hyper's error log). Until then: standard error.</summary>
    public static void UseLogger(ILogger logger) => s_logger = logger;

    /// <summary>A timer on <paramref name="time"/> whose callback cannot throw into the runtime.</summary>
    public static ITimer CreateTimer(TimeProvider time, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return time.CreateTimer(static s => ((GuardedCall)s!).Invoke(), new GuardedCall(callback, state, "timer"), dueTime, period);
    }

    /// <summary>
    /// Registers <paramref name="callback"/> on <paramref name="token"/> without flowing the execution context
    /// (<see cref="CancellationToken.UnsafeRegister(Action{object?}, object?)"/>). A callback that threw would reach
    /// whoever cancels, which for a timed token source is a timer thread.
    /// </summary>
    public static CancellationTokenRegistration Register(CancellationToken token, Action<object?> callback, object? state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!token.CanBeCanceled) return default;
        return token.UnsafeRegister(static s => ((GuardedAction)s!).Invoke(), new GuardedAction(callback, state, "cancellation callback"));
    }

    /// <summary>
    /// Lets <paramref name="task"/> run on without an awaiter. A failure is logged with <paramref name="what"/>; a
    /// cancellation is not a failure. A task already finished costs nothing.
    /// </summary>
    public static void Forget(Task task, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            Observe(task, what);
            return;
        }
        task.ContinueWith(static (t, w) => Observe(t, (string)w!), what, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc cref="Forget(Task, string)"/>
    public static void Forget(ValueTask task, string what)
    {
        if (task.IsCompletedSuccessfully) return;
        Forget(task.AsTask(), what);
    }

    /// <summary>Runs <paramref name="continuation"/> once <paramref name="task"/> has finished; a failure in it is logged.</summary>
    public static void ContinueWith(Task task, Action<Task, object?> continuation, object? state, string what)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        task.ContinueWith(static (t, s) => ((GuardedContinuation)s!).Invoke(t), new GuardedContinuation(continuation, state, what),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A handler for a runtime event (<c>FileSystemWatcher.Changed</c>, …) that cannot throw into whoever raises it.</summary>
    public static FileSystemEventHandler Handler(FileSystemEventHandler handler, string what) =>
        (sender, e) => Run(() => handler(sender, e), what);

    /// <inheritdoc cref="Handler(FileSystemEventHandler, string)"/>
    public static RenamedEventHandler RenamedHandler(RenamedEventHandler handler, string what) =>
        (sender, e) => Run(() => handler(sender, e), what);

    /// <inheritdoc cref="Handler(FileSystemEventHandler, string)"/>
    public static UnhandledExceptionEventHandler Handler(UnhandledExceptionEventHandler handler, string what) =>
        (sender, e) => Run(() => handler(sender, e), what);

    /// <inheritdoc cref="Handler(FileSystemEventHandler, string)"/>
    public static EventHandler<T> Handler<T>(EventHandler<T> handler, string what) =>
        (sender, e) => Run(() => handler(sender, e), what);

    /// <summary>A POSIX signal handler (it runs on the runtime's signal thread) that cannot throw there.</summary>
    public static PosixSignalRegistration OnSignal(PosixSignal signal, Action<PosixSignalContext> handler) =>
        PosixSignalRegistration.Create(signal, context => Run(() => handler(context), $"{signal} handler"));

    /// <summary>
    /// Runs a callback that some loop or runtime hook invokes (an event loop's work item, a readiness handler) and
    /// logs its failure instead of letting it escape.
    /// </summary>
    public static void Invoke(Action<object?> action, object? state, string what)
    {
        try
        {
            action(state);
        }
        catch (Exception ex)
        {
            Report(ex, what);
        }
    }

    /// <summary>Logs a failure that was caught at the edge of a callback (also used for the process-wide handlers).</summary>
    public static void Report(Exception exception, string what)
    {
        try
        {
            var connection = ConnectionLogContext.Current;
            if (s_logger is { } logger)
            {
                if (connection is null) logger.LogError(exception, "Unhandled exception in a {What}", what);
                else logger.LogError(exception, "Unhandled exception in a {What} ({Connection})", what, connection);
            }
            else
            {
                Console.Error.WriteLine($"Unhandled exception in a {what}{(connection is null ? "" : $" ({connection})")}: {exception}");
            }
        }
        catch
        {
            // Logging itself failed (a closed log file): there is nowhere left to report to, and throwing here is
            // exactly what this class exists to prevent.
        }
    }

    private static void Run(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Report(ex, what);
        }
    }

    private static void Observe(Task task, string what)
    {
        if (task.IsFaulted) Report(task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception, what);
    }

    private sealed class GuardedCall(TimerCallback callback, object? state, string what)
    {
        public void Invoke()
        {
            try
            {
                callback(state);
            }
            catch (Exception ex)
            {
                Report(ex, what);
            }
        }
    }

    private sealed class GuardedAction(Action<object?> callback, object? state, string what)
    {
        public void Invoke() => CallbackGuard.Invoke(callback, state, what);
    }

    private sealed class GuardedContinuation(Action<Task, object?> continuation, object? state, string what)
    {
        public void Invoke(Task task)
        {
            try
            {
                continuation(task, state);
            }
            catch (Exception ex)
            {
                Report(ex, what);
            }
        }
    }
}
