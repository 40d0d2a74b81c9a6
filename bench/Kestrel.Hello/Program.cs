// The Kestrel baseline for bench/run.sh: the routes of samples/Hello (/, /json, /echo) with the same bodies and
// headers, and nothing else in the pipeline (no logging, no Server header), so the comparison is server against
// server. Bind with --urls http://127.0.0.1:PORT, or with --http-port P --h2c-port Q for HTTP/1.1 on P and HTTP/2 with
// prior knowledge on Q (Kestrel serves h2c only on an HTTP/2-only endpoint; Hyper tells them apart on one port).
// With --https-port P --certfile CERT.pem --keyfile KEY.pem it serves HTTPS on P (ALPN h2 and http/1.1, Kestrel's
// default for TLS endpoints) from the same PEM pair Hyper is given, so both do the same handshake.
// --keep-alive-seconds S sets Kestrel's keep-alive timeout (default 130 s), so that bench/run.sh can give both servers
// the same one.

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(options =>
{
    options.AddServerHeader = false;
    if (builder.Configuration["keep-alive-seconds"] is { } keepAlive)
    {
        options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(double.Parse(keepAlive, System.Globalization.CultureInfo.InvariantCulture));
    }
    if (builder.Configuration["h2c-port"] is { } h2cPort)
    {
        options.Listen(System.Net.IPAddress.Loopback, int.Parse(builder.Configuration["http-port"]!, System.Globalization.CultureInfo.InvariantCulture));
        options.Listen(System.Net.IPAddress.Loopback, int.Parse(h2cPort, System.Globalization.CultureInfo.InvariantCulture),
            listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
    }
    if (builder.Configuration["https-port"] is { } httpsPort)
    {
        var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
            builder.Configuration["certfile"] ?? throw new ArgumentException("--https-port needs --certfile"),
            builder.Configuration["keyfile"] ?? throw new ArgumentException("--https-port needs --keyfile"));
        options.Listen(System.Net.IPAddress.Loopback, int.Parse(httpsPort, System.Globalization.CultureInfo.InvariantCulture),
            listen =>
            {
                listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
    }
});
var app = builder.Build();

var hello = "Hello, World!"u8.ToArray();
var json = "{\"message\":\"Hello, World!\"}"u8.ToArray();

app.MapGet("/", (HttpContext context) => Write(context, "text/plain; charset=utf-8", hello));
app.MapGet("/json", (HttpContext context) => Write(context, "application/json", json));
// A body with a Content-Length (up to 1 MiB) is read into one array of exactly that size, as samples/Hello does, so the
// echo scenario's bytes per request are the same app cost on both sides; a chunked body grows a MemoryStream.
app.MapPost("/echo", async (HttpContext context) =>
{
    context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
    if (context.Request.ContentLength is long length and <= 1 << 20)
    {
        var sized = new byte[length];
        await context.Request.Body.ReadExactlyAsync(sized);
        context.Response.ContentLength = length;
        await context.Response.Body.WriteAsync(sized);
        return;
    }
    using var body = new MemoryStream();
    await context.Request.Body.CopyToAsync(body);
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
});

// Same diagnostic route as samples/Hello: bytes allocated by the process so far, read before and after each run.
app.MapGet("/_bench/allocated", () => GC.GetTotalAllocatedBytes(precise: true).ToString(System.Globalization.CultureInfo.InvariantCulture));

// Same as samples/Hello's /_bench/gc: a full compacting collection that gives free memory back to the OS, so that the
// resident memory read next (idle-memory) counts what the server holds, not garbage.
var collected = "collected"u8.ToArray();
app.MapGet("/_bench/gc", (HttpContext context) =>
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    return Write(context, "text/plain; charset=utf-8", collected);
});

// /ws: the WebSocket echo of samples/Hello (text back as text, binary as binary), for bench/websocket.sh. A message is
// gathered whole before it is echoed, as Hyper hands its application whole messages.
app.UseWebSockets();
app.Map("/ws", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[16 * 1024];
    var message = new MemoryStream();
    while (true)
    {
        var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
        if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
        {
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }
        if (result.EndOfMessage && message.Length == 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, true, CancellationToken.None);
            continue;
        }
        message.Write(buffer, 0, result.Count);
        if (!result.EndOfMessage) continue;
        await socket.SendAsync(message.GetBuffer().AsMemory(0, (int)message.Length), result.MessageType, true, CancellationToken.None);
        message.SetLength(0);
    }
});

app.Run();

// Plain byte writes rather than Results.Text: the Hyper side sends fixed bytes, so Kestrel does the same.
static Task Write(HttpContext context, string contentType, byte[] body)
{
    context.Response.ContentType = contentType;
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
}
