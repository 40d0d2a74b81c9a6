namespace Hyper.Core.Application;

/// <summary>The ASGI Lifespan 2.0 scope: one per worker, before the first request and after the last.</summary>
public sealed class LifespanScope : AsgiScope
{
    public override string Type => "lifespan";
    public override string SpecVersion => "2.0";
}
