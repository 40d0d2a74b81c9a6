using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Hyper.Core.Application;

namespace Hello;

/// <summary>
/// The sample application, served with <c>hyper Hello.dll:Hello.HelloApp</c>. Routes: <c>GET /</c> plaintext,
/// <c>GET /json</c>, <c>POST /echo</c>, <c>GET /stream</c> (chunked), <c>GET /slow?ms=N</c>, and
/// <c>GET /_bench/allocated</c> and <c>GET /_bench/gc</c> for the benchmark, and the WebSocket echo <c>/ws</c>; anything
/// else 404.
/// </summary>
/// <remarks>
/// The benchmark routes allocate nothing per request: messages are immutable records, so a whole
/// <c>http.response.start</c> (status and header list) and <c>http.response.body</c> are built once and sent again
/// and again. That is the pattern to copy for fixed responses.
/// </remarks>
public static class HelloApp
{
    private const int StreamChunkCount = 10;
    private const int DefaultSlowMilliseconds = 1000;
    private const int MaxSlowMilliseconds = 60_000;
    private const int MaxPreSizedEchoBytes = 1 << 20;
    private const int DefaultBytes = 1 << 20;
    private const int MaxBytes = 64 << 20;
    private static readonly byte[] Filler = Enumerable.Repeat((byte)'x', 64 * 1024).ToArray();

    private static readonly HeaderField TextPlain = HeaderField.Of("content-type", "text/plain; charset=utf-8");

    private static readonly (HttpResponseStart Start, HttpResponseBody Body) Hello = Fixed(200, TextPlain, "Hello, World!");
    private static readonly (HttpResponseStart Start, HttpResponseBody Body) Json =
        Fixed(200, HeaderField.Of("content-type", "application/json"), "{\"message\":\"Hello, World!\"}");
    private static readonly (HttpResponseStart Start, HttpResponseBody Body) Collected = Fixed(200, TextPlain, "collected");
    private static readonly (HttpResponseStart Start, HttpResponseBody Body) NotFound = Fixed(404, TextPlain, "Not Found");
    // RFC 9110 §15.5.6: a 405 response carries Allow, the methods the resource does support.
    private static readonly (HttpResponseStart Start, HttpResponseBody Body) GetOnly =
        Fixed(405, TextPlain, "Method Not Allowed", HeaderField.Of("allow", "GET"));
    private static readonly (HttpResponseStart Start, HttpResponseBody Body) PostOnly =
        Fixed(405, TextPlain, "Method Not Allowed", HeaderField.Of("allow", "POST"));

    // No content-length: the server frames the body itself (chunked on HTTP/1.1, DATA frames on HTTP/2).
    private static readonly HttpResponseStart StreamStart = new(200, [TextPlain]);
    private static readonly HttpResponseBody[] StreamChunks = Enumerable.Range(1, StreamChunkCount)
        .Select(i => new HttpResponseBody(Encoding.ASCII.GetBytes($"chunk {i}\n"), MoreBody: true))
        .ToArray();

    /// <summary>The ASGI entry point.</summary>
    public static ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send) => scope switch
    {
        HttpScope http => Http(http, receive, send),
        LifespanScope => Lifespan(receive, send),
        WebSocketScope ws => WebSocket(ws, receive, send),
        _ => ValueTask.CompletedTask,
    };

    /// <summary>
    /// <c>/ws</c>: an echo, text back as text and bytes as bytes, until the client closes. Any other path is refused:
    /// closing before accepting answers the handshake with 403.
    /// </summary>
    private static async ValueTask WebSocket(WebSocketScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (await receive() is not WebSocketConnect) return;
        if (scope.Path != "/ws")
        {
            await send(new WebSocketClose());
            return;
        }
        await send(WebSocketAccept.Plain);
        while (await receive() is WebSocketReceive message)
            await send(new WebSocketSend(message.Text, message.Bytes));
    }

    private static ValueTask Http(HttpScope scope, AsgiReceive receive, AsgiSend send)
    {
        var get = scope.Method == "GET";
        return scope.Path switch
        {
            "/" => Send(send, get ? Hello : GetOnly),
            "/json" => Send(send, get ? Json : GetOnly),
            "/echo" => scope.Method == "POST" ? Echo(scope, receive, send) : Send(send, PostOnly),
            "/stream" => get ? Stream(send) : Send(send, GetOnly),
            "/slow" => get ? Slow(scope, send) : Send(send, GetOnly),
            "/bytes" => get ? Bytes(scope, send) : Send(send, GetOnly),
            "/_bench/allocated" => get ? Allocated(send) : Send(send, GetOnly),
            "/_bench/gc" => get ? CollectGarbage(send) : Send(send, GetOnly),
            _ => Send(send, NotFound),
        };
    }

    private static async ValueTask Send(AsgiSend send, (HttpResponseStart Start, HttpResponseBody Body) response)
    {
        await send(response.Start);
        await send(response.Body);
    }

    /// <summary>Answers with the request body and its content-type (application/octet-stream when it has none).</summary>
    /// <remarks>
    /// A body with a content-length (up to 1 MiB) is read into one array of exactly that size, as bench/Kestrel.Hello
    /// does, so that the bytes per request bench/run.sh reports for its echo scenario are the same app cost on both
    /// sides (that one array) plus each server's own. A body without one (chunked) grows a buffer.
    /// </remarks>
    private static async ValueTask Echo(HttpScope scope, AsgiReceive receive, AsgiSend send)
    {
        // The server holds a body to its declared length (RFC 9112 §6.3, RFC 9113 §8.1.1), so it fits the array.
        var sized = HeaderFields.TryGet(scope.Headers, "content-length"u8, out var declared)
            && Utf8Parser.TryParse(declared.Span, out int length, out var consumed) && consumed == declared.Length
            && length <= MaxPreSizedEchoBytes
                ? new byte[length]
                : null;
        var grown = sized is null ? new ArrayBufferWriter<byte>() : null;
        var filled = 0;
        while (true)
        {
            var message = await receive();
            if (message is HttpDisconnect) return;
            if (message is not HttpRequest request) continue;
            if (sized is not null)
            {
                request.Body.Span.CopyTo(sized.AsSpan(filled));
                filled += request.Body.Length;
            }
            else
            {
                grown!.Write(request.Body.Span);
            }
            if (!request.MoreBody) break;
        }
        var echoed = sized is not null ? sized.AsMemory(0, filled) : grown!.WrittenMemory;

        var contentType = HeaderFields.TryGet(scope.Headers, "content-type"u8, out var type)
            ? new HeaderField("content-type"u8.ToArray(), type)
            : HeaderField.Of("content-type", "application/octet-stream");
        await send(new HttpResponseStart(200, [contentType, ContentLength(echoed.Length)]));
        await send(new HttpResponseBody(echoed));
    }

    private static async ValueTask Stream(AsgiSend send)
    {
        await send(StreamStart);
        foreach (var chunk in StreamChunks) await send(chunk);
        await send(HttpResponseBody.EmptyFinal);
    }

    /// <summary>Waits <c>ms</c> milliseconds (default 1000, at most 60000), then answers: for timeout and shutdown tests.</summary>
    private static async ValueTask Slow(HttpScope scope, AsgiSend send)
    {
        var milliseconds = Math.Clamp(QueryInt(scope.QueryString.Span, "ms"u8) ?? DefaultSlowMilliseconds, 0, MaxSlowMilliseconds);
        await Task.Delay(milliseconds);
        var body = Encoding.ASCII.GetBytes($"Waited {milliseconds} ms\n");
        await send(new HttpResponseStart(200, [TextPlain, ContentLength(body.Length)]));
        await send(new HttpResponseBody(body));
    }

    /// <summary>
    /// Answers <c>n</c> bytes of 'x' (default 1 MiB, at most 64 MiB) in 64 KiB body messages: a response larger than
    /// the socket buffers, so a client that reads slowly holds the server's writes (bench/slow-clients.sh, slow read).
    /// </summary>
    private static async ValueTask Bytes(HttpScope scope, AsgiSend send)
    {
        var total = Math.Clamp(QueryInt(scope.QueryString.Span, "n"u8) ?? DefaultBytes, 0, MaxBytes);
        await send(new HttpResponseStart(200, [TextPlain, ContentLength(total)]));
        for (var sent = 0; sent < total; sent += Filler.Length)
        {
            var size = Math.Min(Filler.Length, total - sent);
            await send(new HttpResponseBody(Filler.AsMemory(0, size), MoreBody: sent + size < total));
        }
        if (total == 0) await send(HttpResponseBody.EmptyFinal);
    }

    /// <summary>
    /// The bytes this process has allocated so far: bench/run.sh reads it before and after a run to report bytes
    /// allocated per request, server and application together.
    /// </summary>
    private static async ValueTask Allocated(AsgiSend send)
    {
        var body = Encoding.ASCII.GetBytes(GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture));
        await send(new HttpResponseStart(200, [TextPlain, ContentLength(body.Length)]));
        await send(new HttpResponseBody(body));
    }

    /// <summary>
    /// A full, compacting collection that also gives free memory back to the operating system, so that the resident
    /// memory bench/run.sh reads next (idle-memory) counts live objects and buffers, not garbage or a heap grown
    /// during a burst. Benchmark use only: a forced collection pauses the whole process.
    /// </summary>
    private static async ValueTask CollectGarbage(AsgiSend send)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        await Send(send, Collected);
    }

    private static async ValueTask Lifespan(AsgiReceive receive, AsgiSend send)
    {
        while (true)
        {
            switch (await receive())
            {
                case LifespanStartup:
                    await send(LifespanStartupComplete.Instance);
                    break;
                case LifespanShutdown:
                    await send(LifespanShutdownComplete.Instance);
                    return;
            }
        }
    }

    /// <summary>The integer value of <paramref name="name"/> in a query string such as <c>a=1&amp;ms=250</c>, or null.</summary>
    private static int? QueryInt(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name)
    {
        foreach (var range in query.Split((byte)'&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf((byte)'=');
            if (equals < 0 || !pair[..equals].SequenceEqual(name)) continue;
            return Utf8Parser.TryParse(pair[(equals + 1)..], out int value, out var consumed) && consumed == pair.Length - equals - 1
                ? value
                : null;
        }
        return null;
    }

    private static (HttpResponseStart, HttpResponseBody) Fixed(int status, HeaderField contentType, string text, params HeaderField[] extra)
    {
        var body = Encoding.UTF8.GetBytes(text);
        return (new HttpResponseStart(status, [contentType, ContentLength(body.Length), .. extra]), new HttpResponseBody(body));
    }

    private static HeaderField ContentLength(long length) =>
        HeaderField.Of("content-length", length.ToString(CultureInfo.InvariantCulture));
}
