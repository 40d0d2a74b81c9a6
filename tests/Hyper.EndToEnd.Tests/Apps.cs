using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests;

/// <summary>Small ASGI applications the end-to-end tests serve.</summary>
public static class Apps
{
    public static HeaderField H(string name, string value) => HeaderField.Of(name, value);

    public static async ValueTask<byte[]> ReadBodyAsync(AsgiReceive receive)
    {
        var body = new MemoryStream();
        while (true)
        {
            var message = await receive();
            if (message is HttpRequest request)
            {
                body.Write(request.Body.Span);
                if (!request.MoreBody) return body.ToArray();
            }
            else
            {
                throw new ClientDisconnectedException();
            }
        }
    }

    public static async ValueTask RespondAsync(AsgiSend send, int status, string body, params HeaderField[] headers)
    {
        await send(new HttpResponseStart(status, [H("content-type", "text/plain"), .. headers]));
        await send(new HttpResponseBody(Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>Routes: / → hello; /echo → request body back; /stream → 5 chunks; /path → the scope's path and query.</summary>
    public static async ValueTask Basic(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        switch (http.Path)
        {
            case "/echo":
                var body = await ReadBodyAsync(receive);
                await send(new HttpResponseStart(200, [H("content-type", "application/octet-stream")]));
                await send(new HttpResponseBody(body));
                break;
            case "/stream":
                await send(new HttpResponseStart(200, [H("content-type", "text/plain")]));
                for (var i = 0; i < 5; i++) await send(new HttpResponseBody(Encoding.ASCII.GetBytes($"chunk{i};"), MoreBody: true));
                await send(HttpResponseBody.EmptyFinal);
                break;
            case "/path":
                await RespondAsync(send, 200, $"{http.Method} {http.Path} {Encoding.ASCII.GetString(http.QueryString.Span)} {http.HttpVersion} {http.RootPath}");
                break;
            case "/headers":
                await RespondAsync(send, 200, string.Join("\n", http.Headers.Select(h => h.ToString())));
                break;
            default:
                await RespondAsync(send, 200, "Hello, World!");
                break;
        }
    }
}
