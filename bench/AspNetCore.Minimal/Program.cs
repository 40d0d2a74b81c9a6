using System.Net;
using Hyper.Core.Configuration;

// Usage: AspNetCore.Minimal hyper|kestrel PORT [WORKER_CLASS]
// The same application on either server: GET /plaintext and GET /json (TechEmpower's two simplest tests).
var server = args.Length > 0 ? args[0] : "hyper";
var port = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 18090;
var workerClass = args.Length > 2 ? args[2] : "thread-pool";

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
if (server == "kestrel")
{
    builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
}
else
{
    builder.WebHost.UseHyper(o => o.Options = o.Options with
    {
        Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", port)],
        WorkerClass = workerClass,
        // One loop: the server is pinned to one core.
        Loops = 1,
        KeepAliveTimeout = TimeSpan.FromSeconds(120),
        IncludeServerHeader = false,
    });
}
var app = builder.Build();
app.MapGet("/plaintext", () => Results.Text("Hello, World!"));
app.MapGet("/json", () => Results.Json(new Message("Hello, World!"), MessageJson.Default.Message));
app.Run();

internal sealed record Message(string message);

[System.Text.Json.Serialization.JsonSerializable(typeof(Message))]
internal sealed partial class MessageJson : System.Text.Json.Serialization.JsonSerializerContext;
