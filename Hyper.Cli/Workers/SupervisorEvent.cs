namespace Hyper.Cli.Workers;

/// <summary>What the supervisor's loop reacts to; signals, worker pipes and the clock all arrive as one of these.</summary>
internal abstract record SupervisorEvent
{
    private SupervisorEvent() { }

    /// <summary>A signal to the supervisor (its handler only queues it).</summary>
    public sealed record Signal(System.Runtime.InteropServices.PosixSignal Number) : SupervisorEvent;

    /// <summary>A line from a worker's heartbeat pipe.</summary>
    public sealed record Message(SupervisedWorker Worker, string Line) : SupervisorEvent;

    /// <summary>A worker process has exited.</summary>
    public sealed record Exited(SupervisedWorker Worker, int ExitCode) : SupervisorEvent;

    /// <summary>The periodic check: heartbeats, delayed starts, shutdown deadline.</summary>
    public sealed record Tick : SupervisorEvent
    {
        public static readonly Tick Instance = new();
    }
}
