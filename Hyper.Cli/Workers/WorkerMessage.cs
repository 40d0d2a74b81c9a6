namespace Hyper.Cli.Workers;

/// <summary>The lines a worker writes on its heartbeat pipe to the supervisor.</summary>
internal static class WorkerMessage
{
    /// <summary>Lifespan startup is complete and the listeners accept: the worker serves.</summary>
    public const string Ready = "ready";

    /// <summary>Still alive; sent from the worker's start, so a slow boot is not mistaken for a hang.</summary>
    public const string Beat = "beat";

    /// <summary>max_requests reached: start my replacement, then stop me (I keep serving until then).</summary>
    public const string Retiring = "retiring";
}
