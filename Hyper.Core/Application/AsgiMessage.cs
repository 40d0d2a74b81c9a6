namespace Hyper.Core.Application;

/// <summary>
/// One ASGI event. Concrete types keep the ASGI <c>type</c> names: <see cref="HttpResponseStart"/> is
/// <c>http.response.start</c>, and so on. Messages are immutable; the server caches the ones that carry
/// no data, so receiving them costs no allocation.
/// </summary>
public abstract record AsgiMessage
{
    /// <summary>The ASGI <c>type</c> string, e.g. <c>http.request</c>.</summary>
    public abstract string Type { get; }
}
