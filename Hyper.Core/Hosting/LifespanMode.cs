namespace Hyper.Core.Hosting;

/// <summary>The <c>lifespan</c> option (Uvicorn's three modes; Hypercorn always tries and cannot turn it off).</summary>
internal enum LifespanMode
{
    /// <summary>Send <c>lifespan.startup</c>; an application that raises before answering is served without lifespan.</summary>
    Auto,

    /// <summary>Lifespan is required: an application that does not answer startup fails startup.</summary>
    On,

    /// <summary>Never open a lifespan scope.</summary>
    Off,
}
