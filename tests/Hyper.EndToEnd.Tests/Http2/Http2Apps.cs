using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests.Http2;

/// <summary>Routes that exercise what HTTP/2 adds: big bodies (flow control), trailers, slow handlers (concurrency).</summary>
public static class Http2Apps
{
    public const int BigSize = 3 * 1024 * 1024;

    public static async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        switch (http.Path)
        {
            case "/big":
                // Larger than every default window, in 64 KiB sends: the response must wait for WINDOW_UPDATEs.
                await send(new HttpResponseStart(200, [Apps.H("content-type", "application/octet-stream")]));
                var chunk = new byte[64 * 1024];
                for (var sent = 0; sent < BigSize; sent += chunk.Length)
                {
                    for (var i = 0; i < chunk.Length; i++) chunk[i] = (byte)((sent + i) % 251);
                    await send(new HttpResponseBody(chunk.ToArray(), MoreBody: sent + chunk.Length < BigSize));
                }
                break;
            case "/trailers":
                var body = await Apps.ReadBodyAsync(receive);
                await send(new HttpResponseStart(200, [Apps.H("content-type", "text/plain")], Trailers: true));
                await send(new HttpResponseBody(Encoding.ASCII.GetBytes($"got {body.Length} bytes"), MoreBody: false));
                await send(new HttpResponseTrailers([Apps.H("x-checksum", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
                break;
            case "/slow":
                await Task.Delay(200);
                await Apps.RespondAsync(send, 200, "slow");
                break;
            case "/hints":
                await send(new HttpResponseEarlyHint(["</style.css>; rel=preload; as=style"u8.ToArray()]));
                await Apps.RespondAsync(send, 200, "hinted");
                break;
            case "/push":
                var pushable = http.Extensions.ContainsKey("http.response.push");
                await send(new HttpResponsePush("/style.css?v=1", [Apps.H("accept", "text/css")]));
                await Apps.RespondAsync(send, 200, pushable ? "push offered" : "no push");
                break;
            case "/style.css":
                await Apps.RespondAsync(send, 200, $"body{{}} /* {Encoding.ASCII.GetString(http.QueryString.Span)} */", Apps.H("x-pushed-accept", http.Headers.FirstOrDefault(h => h.NameIs("accept"u8)).ValueString ?? ""));
                break;
            case "/scope":
                await Apps.RespondAsync(send, 200, $"{http.HttpVersion} {http.Scheme} {http.Method} {http.Path} {Encoding.ASCII.GetString(http.QueryString.Span)}");
                break;
            default:
                await Apps.Basic(scope, receive, send);
                break;
        }
    }

    public static byte[] ExpectedBig()
    {
        var expected = new byte[BigSize];
        for (var i = 0; i < expected.Length; i++) expected[i] = (byte)(i % 251);
        return expected;
    }
}
