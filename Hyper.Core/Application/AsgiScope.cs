namespace Hyper.Core.Application;

/// <summary>
/// The ASGI connection scope: <see cref="HttpScope"/> for <c>http</c>, <see cref="WebSocketScope"/> for
/// <c>websocket</c>, <see cref="LifespanScope"/> for <c>lifespan</c>.
/// </summary>
public abstract class AsgiScope
{
    /// <summary>The scope <c>type</c>: <c>http</c>, <c>websocket</c> or <c>lifespan</c>.</summary>
    public abstract string Type { get; }

    /// <summary>ASGI version of the interface: always "3.0".</summary>
    public string AsgiVersion => "3.0";

    /// <summary>Version of the sub-specification this scope follows.</summary>
    public abstract string SpecVersion { get; }

    // Both dictionaries are created on first use: most requests never touch them, and the hot path
    // allocates nothing it does not need (docs/architecture.md, Layers).
    private IDictionary<string, object?>? _state;
    private IDictionary<string, object?>? _extensions;

    /// <summary>The lifespan <c>state</c> namespace, shallow-copied per request from the lifespan scope's.</summary>
    public IDictionary<string, object?> State
    {
        get => _state ??= new Dictionary<string, object?>();
        init => _state = value;
    }

    /// <summary>Server extensions, by ASGI extension name (e.g. <c>http.response.trailers</c>).</summary>
    public IDictionary<string, object?> Extensions
    {
        get => _extensions ??= new Dictionary<string, object?>();
        init => _extensions = value;
    }
}
