using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests.WebSockets;

/// <summary>The WebSocket applications the end-to-end tests serve, chosen by path.</summary>
public static class WebSocketApps
{
    /// <summary>
    /// /echo: text back as text, bytes as bytes, the first offered subprotocol accepted; the text "close:CODE" closes
    /// with CODE. /reject: close before accept (403). /deny: a denial response (401 with a body). /fail: throws after
    /// accepting (1011). /flood: sends 64 KiB messages until send fails, counting them in <see cref="FloodSent"/>.
    /// /scope: sends one text message describing the scope, then closes 1000.
    /// /shutdown: accepts and waits for the disconnect, recording its code in <see cref="LastDisconnect"/>.
    /// </summary>
    public static async ValueTask Serve(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not WebSocketScope ws)
        {
            if (scope is HttpScope) await Apps.RespondAsync(send, 200, "plain http");
            return;
        }
        (await receive()).Should().BeOfType<WebSocketConnect>();
        switch (ws.Path)
        {
            case "/reject":
                await send(new WebSocketClose());
                return;
            case "/deny":
                await send(new WebSocketHttpResponseStart(401, [Apps.H("content-type", "text/plain")]));
                await send(new WebSocketHttpResponseBody(Encoding.UTF8.GetBytes("no entry"), MoreBody: true));
                await send(new WebSocketHttpResponseBody(Encoding.UTF8.GetBytes(" here")));
                return;
            case "/fail":
                await send(WebSocketAccept.Plain);
                throw new InvalidOperationException("application failure after accept (expected by the test)");
            case "/flood":
                await send(WebSocketAccept.Plain);
                var chunk = new byte[64 * 1024];
                try
                {
                    while (true)
                    {
                        await send(new WebSocketSend(Bytes: chunk));
                        Interlocked.Increment(ref s_floodSent);
                    }
                }
                catch (ClientDisconnectedException) { }
                return;
            case "/scope":
                await send(WebSocketAccept.Plain);
                await send(new WebSocketSend($"{ws.Scheme} {ws.HttpVersion} {ws.Path} {Encoding.ASCII.GetString(ws.QueryString.Span)} tls={ws.Extensions.ContainsKey("tls")} denial={ws.Extensions.ContainsKey("websocket.http.response")}"));
                await send(new WebSocketClose());
                return;
            case "/shutdown":
                await send(WebSocketAccept.Plain);
                while (await receive() is not WebSocketDisconnect disconnect) { }
                return;
        }
        await send(new WebSocketAccept(ws.Subprotocols.Count > 0 ? ws.Subprotocols[0] : null, [Apps.H("x-hello", "ws")]));
        while (true)
        {
            var message = await receive();
            switch (message)
            {
                case WebSocketDisconnect disconnect:
                    LastDisconnect = disconnect;
                    return;
                case WebSocketReceive { Text: { } text } when text.StartsWith("close:", StringComparison.Ordinal):
                    await send(new WebSocketClose(int.Parse(text["close:".Length..]), "as asked"));
                    break;
                case WebSocketReceive received:
                    await send(new WebSocketSend(received.Text, received.Bytes));
                    break;
            }
        }
    }

    private static long s_floodSent;

    /// <summary>Messages /flood has handed to send so far.</summary>
    public static long FloodSent => Interlocked.Read(ref s_floodSent);

    public static void ResetFlood() => Interlocked.Exchange(ref s_floodSent, 0);

    /// <summary>The last websocket.disconnect /echo saw.</summary>
    public static volatile WebSocketDisconnect? LastDisconnect;
}
