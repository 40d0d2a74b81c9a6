namespace Hyper.Backends.Structured;

/// <summary>
/// What code running now is inside: the innermost task group and the innermost cancellation (a group's token
/// or an open <see cref="CancelScope"/>'s), and the clock their deadlines are measured on. Trio keeps this
/// stack implicitly per task; .NET has no such thing, so it flows with the execution context. A scope opened
/// without an explicit outer token nests under this one, which is what makes <c>CancelScope.MoveOnAfter(…)</c>
/// inside a request handler obey the server's shutdown and use the backend's clock.
/// </summary>
internal sealed record AmbientCancellation(TaskGroup? Group, CancellationToken Token, TimeProvider Time)
{
    private static readonly AsyncLocal<AmbientCancellation?> Ambient = new();

    /// <summary>The innermost group or scope, or null outside any.</summary>
    public static AmbientCancellation? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }
}
