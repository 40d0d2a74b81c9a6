using Hyper.Core.Application;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// The application the WebSocket suite runs against (Autobahn's fuzzing server is an echo too): every WebSocket is
/// accepted, text comes back as text and bytes as bytes, until the client closes. Plain HTTP requests get 404.
/// </summary>
public static class WebSocketEchoApplication
{
    public static async ValueTask RunAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        switch (scope)
        {
            case WebSocketScope:
                if (await receive() is not WebSocketConnect) return;
                await send(WebSocketAccept.Plain);
                while (await receive() is WebSocketReceive message)
                {
                    try
                    {
                        await send(new WebSocketSend(message.Text, message.Bytes));
                    }
                    catch (ClientDisconnectedException)
                    {
                        // The client closed while its echo was on the way; the close handshake is the server's now.
                        return;
                    }
                }
                return;
            case HttpScope:
                await send(new HttpResponseStart(404, [HeaderField.Of("content-length", "0")]));
                await send(new HttpResponseBody(ReadOnlyMemory<byte>.Empty));
                return;
        }
    }
}
