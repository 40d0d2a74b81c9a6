namespace Hyper.Backends.SingleThreadLoop;

/// <summary>Settings of the single-thread-loop backend.</summary>
public sealed record SingleThreadLoopOptions
{
    /// <summary>How many event loops (threads, each with its own SO_REUSEPORT listener). One per core by default.</summary>
    public int Loops { get; init; } = Environment.ProcessorCount;
}
