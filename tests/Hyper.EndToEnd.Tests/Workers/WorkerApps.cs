using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests.Workers;

/// <summary>
/// Applications the real <c>hyper</c> process loads from this test assembly
/// (<c>Hyper.EndToEnd.Tests.dll:Hyper.EndToEnd.Tests.Workers.WorkerApps.Member</c>) for startup behaviour the Hello
/// sample does not have.
/// </summary>
public static class WorkerApps
{
    private static readonly HttpResponseStart OkStart = new(200, [HeaderField.Of("content-type", "text/plain")]);
    private static readonly HttpResponseBody OkBody = new("ok"u8.ToArray());

    /// <summary>Answers <c>lifespan.startup.failed</c>: every worker exits with code 3 at startup.</summary>
    public static async ValueTask FailingStartup(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is LifespanScope)
        {
            await receive();
            await send(new LifespanStartupFailed("the database is unreachable"));
            return;
        }
        await Ok(send);
    }

    /// <summary>Knows only HTTP: raises on a lifespan scope, as an application without lifespan support does.</summary>
    public static async ValueTask HttpOnly(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope) throw new NotSupportedException($"scope type {scope.GetType().Name} is not supported");
        await Ok(send);
    }

    /// <summary>Answers with what the scope says of the request's origin: <c>client scheme host root_path</c>.</summary>
    public static async ValueTask EchoOrigin(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        var text = $"{http.Client?.Address} {http.Scheme} {HeaderFields.GetString(http.Headers, "host")} {http.RootPath}";
        await send(OkStart);
        await send(new HttpResponseBody(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    /// <summary>The APP argument that names <paramref name="member"/> of this class.</summary>
    public static string Reference(string member) => $"{typeof(WorkerApps).Assembly.Location}:{typeof(WorkerApps).FullName}.{member}";

    private static async ValueTask Ok(AsgiSend send)
    {
        await send(OkStart);
        await send(OkBody);
    }
}
