namespace Hyper.Core.Application;

// The closed family of ASGI Lifespan 2.0 messages (https://asgi.readthedocs.io/en/latest/specs/lifespan.html).

/// <summary><c>lifespan.startup</c>: the server is about to start serving.</summary>
public sealed record LifespanStartup : AsgiMessage
{
    public static readonly LifespanStartup Instance = new();
    public override string Type => "lifespan.startup";
}

/// <summary><c>lifespan.startup.complete</c>: the application is ready.</summary>
public sealed record LifespanStartupComplete : AsgiMessage
{
    public static readonly LifespanStartupComplete Instance = new();
    public override string Type => "lifespan.startup.complete";
}

/// <summary><c>lifespan.startup.failed</c>: the application cannot start; the server exits non-zero with this message.</summary>
public sealed record LifespanStartupFailed(string Message = "") : AsgiMessage
{
    public override string Type => "lifespan.startup.failed";
}

/// <summary><c>lifespan.shutdown</c>: the server has stopped serving and is about to exit.</summary>
public sealed record LifespanShutdown : AsgiMessage
{
    public static readonly LifespanShutdown Instance = new();
    public override string Type => "lifespan.shutdown";
}

/// <summary><c>lifespan.shutdown.complete</c>: the application has cleaned up.</summary>
public sealed record LifespanShutdownComplete : AsgiMessage
{
    public static readonly LifespanShutdownComplete Instance = new();
    public override string Type => "lifespan.shutdown.complete";
}

/// <summary><c>lifespan.shutdown.failed</c>: the application failed to clean up.</summary>
public sealed record LifespanShutdownFailed(string Message = "") : AsgiMessage
{
    public override string Type => "lifespan.shutdown.failed";
}
