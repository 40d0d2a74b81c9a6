using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyper.Cli.Workers;

/// <summary>
/// The supervisor (Gunicorn's arbiter): binds every address once, starts <c>workers</c> copies of this same
/// <c>hyper</c> command in the worker role on those sockets, and keeps that many serving.
/// <list type="bullet">
/// <item>A worker that dies after it was ready is replaced at once; one that dies while booting is restarted with a
/// backoff that doubles up to 10 s. One that exits at startup with a startup failure (2 usage, 3 lifespan startup
/// failed, 4 bind) stops the whole server with that exit code, as Hypercorn and Gunicorn do.</item>
/// <item>A worker silent on its heartbeat pipe for <c>worker_healthcheck_timeout</c> is killed and replaced.</item>
/// <item>Signals mean what they mean to Gunicorn: TERM and INT stop every worker gracefully (a second INT: quickly),
/// QUIT stops quickly, HUP starts a new generation and drains each old worker only once a new one is ready (a new
/// generation that fails at startup is abandoned and the old one keeps serving), TTIN and TTOU add or remove one.</item>
/// <item>A worker that reaches <c>max_requests</c> says so and is drained once its replacement is ready.</item>
/// </list>
/// Every decision is taken on one loop (<see cref="RunAsync"/>) that reads <see cref="SupervisorEvent"/>s, so the
/// state needs no lock; <see cref="Reconcile"/> moves the worker set toward what it should be after each event.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class WorkerSupervisor
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBootBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QuickStopAllowance = TimeSpan.FromSeconds(10);

    private readonly HyperOptions _options;
    private readonly Func<ProcessStartInfo> _workerCommand;
    private readonly ILogger _logger;
    private readonly Systemd.SystemdNotifier _systemd;
    private readonly TimeProvider _time;
    private readonly Channel<SupervisorEvent> _events = Channel.CreateUnbounded<SupervisorEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<SupervisedWorker> _workers = [];
    private SharedListeners? _listeners;
    private int _target;
    private int _generation;
    private int _nextIndex;
    private int _bootFailures;
    private long _nextStartAt;
    private bool _allReadyLogged;
    private bool _reloading;
    private Shutdown _shutdown;
    private long _shutdownDeadline;
    private int _exitCode;

    private enum Shutdown { None, Graceful, Quick }

    /// <param name="workerCommand">A fresh start of this command with the user's arguments; the supervisor appends the worker flag.</param>
    /// <param name="systemd">Told READY once every worker serves, RELOADING and READY around a reload, STOPPING at shutdown.</param>
    public WorkerSupervisor(HyperOptions options, Func<ProcessStartInfo> workerCommand, ILogger logger, Systemd.SystemdNotifier systemd,
        TimeProvider? time = null)
    {
        _options = options;
        _workerCommand = workerCommand;
        _logger = logger;
        _systemd = systemd;
        _time = time ?? TimeProvider.System;
        _target = options.Workers;
    }

    /// <summary>Runs until every worker has exited after a shutdown; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _listeners = SharedListeners.Open(_options);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            _logger.LogCritical("Could not bind: {Message}", ex.Message);
            return HyperServer.BindFailedExitCode;
        }
        using var listeners = _listeners;
        PosixSignal[] handled = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP, PosixSignal.SIGTTIN, PosixSignal.SIGTTOU, PosixInterop.Usr1];
        var signals = handled.Select(signal => CallbackGuard.OnSignal(signal, context =>
        {
            // Every one of these is the supervisor's to act on; none may take the runtime's default (terminate, stop).
            context.Cancel = true;
            _events.Writer.TryWrite(new SupervisorEvent.Signal(signal));
        })).ToList();
        try
        {
            return await SuperviseAsync(listeners, cancellationToken);
        }
        finally
        {
            foreach (var registration in signals) registration.Dispose();
        }
    }

    private async Task<int> SuperviseAsync(SharedListeners listeners, CancellationToken cancellationToken)
    {
        using var cancelled = CallbackGuard.Register(cancellationToken,
            static s => ((Channel<SupervisorEvent>)s!).Writer.TryWrite(new SupervisorEvent.Signal(PosixSignal.SIGTERM)), _events);
        using var ticks = new CancellationTokenSource();
        var ticking = TickAsync(ticks.Token);

        _logger.LogInformation("Supervisor listening on {Addresses}; starting {Count} workers ({Backend})",
            string.Join(", ", listeners.Described), _target, _options.WorkerClass);
        Reconcile();
        await foreach (var e in _events.Reader.ReadAllAsync(CancellationToken.None))
        {
            Handle(e);
            if (_shutdown != Shutdown.None && _workers.Count == 0) break;
            Reconcile();
        }
        await ticks.CancelAsync();
        await ticking;
        _logger.LogInformation("Supervisor stopped");
        return _exitCode;
    }

    private async Task TickAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop)) _events.Writer.TryWrite(SupervisorEvent.Tick.Instance);
        }
        catch (OperationCanceledException) { }
    }

    private void Handle(SupervisorEvent e)
    {
        switch (e)
        {
            case SupervisorEvent.Signal signal:
                OnSignal(signal.Number);
                break;
            case SupervisorEvent.Message message:
                OnMessage(message.Worker, message.Line);
                break;
            case SupervisorEvent.Exited exited:
                OnExited(exited.Worker, exited.ExitCode);
                break;
            case SupervisorEvent.Tick:
                OnTick();
                break;
        }
    }

    private void OnSignal(PosixSignal signal)
    {
        switch (signal)
        {
            case PosixSignal.SIGTERM:
                BeginShutdown(Shutdown.Graceful, "SIGTERM");
                break;
            case PosixSignal.SIGINT:
                // Gunicorn: a second INT (CTRL + C twice) does not wait for the drain.
                BeginShutdown(_shutdown == Shutdown.None ? Shutdown.Graceful : Shutdown.Quick, "SIGINT");
                break;
            case PosixSignal.SIGQUIT:
                BeginShutdown(Shutdown.Quick, "SIGQUIT");
                break;
            case PosixSignal.SIGHUP when _shutdown == Shutdown.None:
                _generation++;
                _reloading = true;
                _bootFailures = 0;
                _nextStartAt = 0;
                _logger.LogInformation("SIGHUP: reloading; starting {Count} new workers, each old one drains once a new one is ready", _target);
                _systemd.Reloading();
                break;
            case PosixSignal.SIGTTIN when _shutdown == Shutdown.None:
                _target++;
                _logger.LogInformation("SIGTTIN: {Count} workers", _target);
                break;
            case PosixSignal.SIGTTOU when _shutdown == Shutdown.None:
                if (_target > 1) _target--;
                _logger.LogInformation("SIGTTOU: {Count} workers", _target);
                break;
            case PosixInterop.Usr1:
                // Each worker reopens its own log files; the supervisor's own are reopened by its host (ServerComposition).
                // Only workers that have been ready: a booting one may not handle USR1 yet, and its default would kill it
                // (it opened its files moments ago anyway).
                foreach (var worker in _workers.Where(w => w.WasReady)) worker.Signal(PosixInterop.SIGUSR1);
                break;
        }
    }

    private void OnMessage(SupervisedWorker worker, string line)
    {
        worker.LastHeard = _time.GetTimestamp();
        worker.HeardFrom = true;
        switch (line)
        {
            case WorkerMessage.Ready when worker.State == WorkerState.Booting:
                worker.State = WorkerState.Ready;
                worker.WasReady = true;
                _bootFailures = 0;
                _logger.LogInformation("Worker {Index} (pid {Pid}) ready", worker.Index, worker.Pid);
                break;
            case WorkerMessage.Retiring when !worker.Retiring:
                worker.Retiring = true;
                _logger.LogInformation("Worker {Index} (pid {Pid}) reached max_requests; replacing it", worker.Index, worker.Pid);
                break;
        }
    }

    private void OnExited(SupervisedWorker worker, int exitCode)
    {
        _workers.Remove(worker);
        if (worker.State == WorkerState.Stopping && !worker.KilledByHealthcheck)
        {
            _logger.LogInformation("Worker {Index} (pid {Pid}) exited with code {Code}", worker.Index, worker.Pid, exitCode);
            return;
        }
        if (_shutdown != Shutdown.None) return;
        if (worker.WasReady || worker.KilledByHealthcheck)
        {
            _logger.LogWarning("Worker {Index} (pid {Pid}) died ({Reason}); starting a replacement",
                worker.Index, worker.Pid, DescribeExit(exitCode));
            return;
        }
        if (IsStartupFailure(exitCode))
        {
            if (_reloading && worker.Generation == _generation && _workers.Any(w => w.Generation != _generation && w.State == WorkerState.Ready))
            {
                // A bad deploy must not take the site down: keep the generation that serves, drop the new one.
                _logger.LogError("Reload abandoned: new worker {Index} (pid {Pid}) failed at startup ({Reason}); the old workers keep serving",
                    worker.Index, worker.Pid, DescribeExit(exitCode));
                foreach (var old in _workers.Where(w => w.State != WorkerState.Stopping)) old.Generation = _generation;
                _reloading = false;
                _systemd.Ready();
                return;
            }
            _logger.LogCritical("Worker {Index} (pid {Pid}) failed at startup ({Reason}); stopping the server with exit code {Code}",
                worker.Index, worker.Pid, DescribeExit(exitCode), exitCode);
            _exitCode = exitCode;
            BeginShutdown(Shutdown.Quick, "worker startup failure");
            return;
        }
        _bootFailures++;
        var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBootBackoff.TotalMilliseconds, 100 * Math.Pow(2, _bootFailures - 1)));
        _nextStartAt = _time.GetTimestamp() + (long)(backoff.TotalSeconds * _time.TimestampFrequency);
        _logger.LogWarning("Worker {Index} (pid {Pid}) died while booting ({Reason}); next start in {Delay} s",
            worker.Index, worker.Pid, DescribeExit(exitCode), backoff.TotalSeconds);
    }

    private void OnTick()
    {
        var now = _time.GetTimestamp();
        if (_shutdown != Shutdown.None)
        {
            if (now < _shutdownDeadline) return;
            foreach (var worker in _workers.Where(w => !w.KilledByHealthcheck))
            {
                _logger.LogWarning("Worker {Index} (pid {Pid}) still running at the shutdown deadline; killing it", worker.Index, worker.Pid);
                worker.KilledByHealthcheck = true;
                worker.Signal(PosixInterop.SIGKILL);
            }
            return;
        }
        foreach (var worker in _workers.Where(w => w.State != WorkerState.Stopping))
        {
            // Until its first line the runtime is still starting (seconds on a loaded machine): give it startup_timeout.
            var limit = worker.HeardFrom ? _options.WorkerHealthcheckTimeout : TimeSpanMax(_options.WorkerHealthcheckTimeout, _options.StartupTimeout);
            if (_time.GetElapsedTime(worker.LastHeard, now) <= limit) continue;
            _logger.LogError("Worker {Index} (pid {Pid}) sent no heartbeat for {Timeout} s; killing it",
                worker.Index, worker.Pid, limit.TotalSeconds);
            worker.KilledByHealthcheck = true;
            worker.State = WorkerState.Stopping;
            worker.Signal(PosixInterop.SIGKILL);
        }
    }

    /// <summary>Starts, drains or stops workers so that <c>_target</c> of the current generation serve.</summary>
    private void Reconcile()
    {
        if (_shutdown != Shutdown.None) return;
        var now = _time.GetTimestamp();
        var active = _workers.Where(w => w.State != WorkerState.Stopping && w.Generation == _generation && !w.Retiring).ToList();
        if (active.Count < _target && now >= _nextStartAt)
        {
            for (var i = active.Count; i < _target; i++) active.Add(StartWorker(now));
        }
        else if (active.Count > _target)
        {
            // TTOU (or an abandoned reload): the ones not serving yet go first, then the youngest.
            foreach (var extra in active.OrderBy(w => w.State == WorkerState.Ready).ThenByDescending(w => w.Index).Take(active.Count - _target))
                Stop(extra, "not needed");
        }
        var ready = active.Count(w => w.State == WorkerState.Ready);
        var replaceable = _workers
            .Where(w => w.State != WorkerState.Stopping && (w.Generation != _generation || w.Retiring))
            .OrderBy(w => w.Index)
            .ToList();
        // An old or retiring worker serves until a new one is ready in its place: capacity never drops below _target.
        foreach (var old in replaceable.Skip(Math.Max(0, _target - ready)))
            Stop(old, old.Retiring ? "replaced after max_requests" : "replaced by reload");
        if (_reloading && !_workers.Any(w => w.State != WorkerState.Stopping && w.Generation != _generation) && ready >= _target)
        {
            _reloading = false;
            _logger.LogInformation("Reload complete: {Count} workers of the new generation ready", ready);
            _systemd.Ready();
        }
        if (!_allReadyLogged && ready >= _target)
        {
            _allReadyLogged = true;
            _logger.LogInformation("All {Count} workers ready", ready);
            _systemd.Ready();
        }
    }

    private SupervisedWorker StartWorker(long now)
    {
        var index = ++_nextIndex;
        var worker = SupervisedWorker.Start(_workerCommand(), _listeners!, index, _generation, now, _events.Writer);
        _workers.Add(worker);
        _logger.LogInformation("Started worker {Index} (pid {Pid})", index, worker.Pid);
        return worker;
    }

    private void Stop(SupervisedWorker worker, string reason)
    {
        _logger.LogInformation("Stopping worker {Index} (pid {Pid}) gracefully: {Reason}", worker.Index, worker.Pid, reason);
        worker.State = WorkerState.Stopping;
        worker.Signal(PosixInterop.SIGTERM);
    }

    private void BeginShutdown(Shutdown kind, string cause)
    {
        if (kind <= _shutdown) return;
        var now = _time.GetTimestamp();
        var allowance = kind == Shutdown.Graceful
            ? _options.GracefulTimeout + _options.ShutdownTimeout + QuickStopAllowance
            : QuickStopAllowance + _options.ShutdownTimeout;
        var deadline = now + (long)(allowance.TotalSeconds * _time.TimestampFrequency);
        _shutdownDeadline = _shutdown == Shutdown.None ? deadline : Math.Min(_shutdownDeadline, deadline);
        if (_shutdown == Shutdown.None) _systemd.Stopping();
        _shutdown = kind;
        _logger.LogInformation("{Cause}: stopping {Count} workers {How}", cause, _workers.Count,
            kind == Shutdown.Graceful ? "gracefully" : "quickly");
        foreach (var worker in _workers)
        {
            worker.State = WorkerState.Stopping;
            // A worker still booting may not handle QUIT yet (its default dumps core); TERM stops it as cleanly.
            worker.Signal(kind == Shutdown.Graceful || !worker.WasReady ? PosixInterop.SIGTERM : PosixInterop.SIGQUIT);
        }
    }

    /// <summary>The exit codes a worker gives when it cannot start at all: retrying would fail the same way.</summary>
    private static bool IsStartupFailure(int exitCode) =>
        exitCode is HyperCommand.UsageErrorExitCode or HyperServer.LifespanFailedExitCode or HyperServer.BindFailedExitCode;

    private static TimeSpan TimeSpanMax(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string DescribeExit(int exitCode) =>
        exitCode > 128 ? $"signal {exitCode - 128}" : $"exit code {exitCode}";
}
