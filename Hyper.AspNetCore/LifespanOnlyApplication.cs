using Hyper.Core.Application;

namespace Hyper.AspNetCore;

/// <summary>
/// The ASGI application the server is built with when it hosts ASP.NET Core: every request goes to the ASP.NET Core
/// stream kind, so only the lifespan scope reaches this, and it declines it (the host has its own startup and
/// shutdown; Hyper runs on without lifespan, as it does for any application that returns without answering).
/// </summary>
internal static class LifespanOnlyApplication
{
    public static readonly AsgiApplication Instance = (scope, _, _) => scope is LifespanScope
        ? ValueTask.CompletedTask
        : throw new InvalidOperationException($"The ASP.NET Core server serves every request itself; a '{scope.Type}' scope cannot reach the ASGI layer.");
}
