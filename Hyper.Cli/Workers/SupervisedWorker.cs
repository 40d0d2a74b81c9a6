using System.Diagnostics;
using System.IO.Pipes;
using System.Threading.Channels;
using Hyper.Core.Concurrency;

namespace Hyper.Cli.Workers;

/// <summary>Where a worker is in its life, as the supervisor sees it.</summary>
internal enum WorkerState
{
    /// <summary>Started; lifespan startup and the listeners not yet reported ready.</summary>
    Booting,

    /// <summary>Serving.</summary>
    Ready,

    /// <summary>Told to stop (or killed); its exit is expected.</summary>
    Stopping,
}

/// <summary>
/// One worker process from the supervisor's side: the process, the read end of its heartbeat pipe, and the state the
/// supervisor's loop keeps for it. Everything but the pump runs on the supervisor's loop, so there are no locks here.
/// </summary>
internal sealed class SupervisedWorker
{
    private readonly Process _process;

    private SupervisedWorker(Process process, int index, int generation, long startedAt)
    {
        _process = process;
        Pid = process.Id;
        Index = index;
        Generation = generation;
        LastHeard = startedAt;
    }

    public int Pid { get; }

    /// <summary>Numbers workers in start order, for the log.</summary>
    public int Index { get; }

    /// <summary>The reload generation it was started in; a SIGHUP makes every older worker one to replace.</summary>
    public int Generation { get; set; }

    public WorkerState State { get; set; } = WorkerState.Booting;

    /// <summary>It has reported ready at least once.</summary>
    public bool WasReady { get; set; }

    /// <summary>It reached max_requests and waits to be replaced.</summary>
    public bool Retiring { get; set; }

    /// <summary>Killed because its heartbeat stopped: its exit is a death to replace, not a requested stop.</summary>
    public bool KilledByHealthcheck { get; set; }

    /// <summary>Timestamp of the last line it wrote (of its start until it writes one).</summary>
    public long LastHeard { get; set; }

    /// <summary>It has written at least one line: the runtime is up and its heartbeat runs.</summary>
    public bool HeardFrom { get; set; }

    /// <summary>
    /// Starts the worker: creates its heartbeat pipe, starts <paramref name="start"/> with the launch flag appended,
    /// and pumps its lines and finally its exit into <paramref name="events"/>. The caller serializes starts: a
    /// pipe end is inheritable only between its creation and this start.
    /// </summary>
    public static SupervisedWorker Start(ProcessStartInfo start, SharedListeners listeners, int index, int generation,
        long now, ChannelWriter<SupervisorEvent> events)
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.In, System.IO.HandleInheritability.Inheritable);
        try
        {
            // .NET makes both ends inheritable; only the write end is the worker's, and later workers must not get this read end.
            PosixInterop.SetInheritable((int)pipe.SafePipeHandle.DangerousGetHandle(), inheritable: false);
            var channel = int.Parse(pipe.GetClientHandleAsString(), System.Globalization.CultureInfo.InvariantCulture);
            start.ArgumentList.Add(WorkerLaunch.Flag);
            start.ArgumentList.Add(new WorkerLaunch(channel, listeners.Bind, listeners.InsecureBind, index).Format());
            var process = Process.Start(start) ?? throw new InvalidOperationException("the worker process did not start");
            // Our copy of the write end must go, or the pipe never reaches end-of-file when the worker dies.
            pipe.DisposeLocalCopyOfClientHandle();
            var worker = new SupervisedWorker(process, index, generation, now);
            CallbackGuard.Forget(worker.PumpAsync(pipe, events), "worker pipe pump");
            return worker;
        }
        catch
        {
            pipe.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="signal"/>; a worker that is already gone is not an error.</summary>
    public void Signal(int signal) => PosixInterop.Signal(Pid, signal);

    private async Task PumpAsync(AnonymousPipeServerStream pipe, ChannelWriter<SupervisorEvent> events)
    {
        using (pipe)
        using (var reader = new StreamReader(pipe))
        {
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                    events.TryWrite(new SupervisorEvent.Message(this, line));
            }
            catch (IOException) { /* the worker died mid-line: its exit follows */ }
        }
        // End of file: the worker has exited (or closed the pipe, which only a dying worker does).
        await _process.WaitForExitAsync();
        var exitCode = _process.ExitCode;
        _process.Dispose();
        events.TryWrite(new SupervisorEvent.Exited(this, exitCode));
    }
}
