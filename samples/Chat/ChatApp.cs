using System.Reflection;
using System.Text.Json;
using Hyper.Core.Application;

namespace Chat;

/// <summary>
/// The chat sample, served with <c>hyper Chat.dll:Chat.ChatApp</c>. <c>GET /</c> is the page; the WebSocket
/// <c>/chat</c> joins the room: every text message a client sends is broadcast to every connected client (the sender
/// too) as <c>{"from":"guest-N","text":"…"}</c>, and each newcomer first gets a welcome line from <c>server</c> naming
/// it and the HTTP version its WebSocket runs over.
/// </summary>
public static class ChatApp
{
    /// <summary>Longest chat line in characters; longer ones close the sender's connection with 1009.</summary>
    public const int MaxLineLength = 4000;

    private static readonly byte[] Page = ReadPage();
    private static readonly AsgiApplication Default = Create(new ChatRoom());

    /// <summary>The ASGI entry point: one room for the whole process.</summary>
    public static ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send) => Default(scope, receive, send);

    /// <summary>The chat application over <paramref name="room"/> (tests give each server its own).</summary>
    public static AsgiApplication Create(ChatRoom room) => (scope, receive, send) => scope switch
    {
        HttpScope http => Http(http, send),
        WebSocketScope ws => WebSocket(room, ws, receive, send),
        _ => ValueTask.CompletedTask,
    };

    private static async ValueTask Http(HttpScope scope, AsgiSend send)
    {
        var page = scope.Path is "/" or "/index.html";
        var body = page ? Page : "Not Found"u8.ToArray();
        await send(new HttpResponseStart(page ? 200 : 404,
        [
            HeaderField.Of("content-type", page ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"),
            HeaderField.Of("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]));
        await send(new HttpResponseBody(body));
    }

    private static async ValueTask WebSocket(ChatRoom room, WebSocketScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (await receive() is not WebSocketConnect) return;
        if (scope.Path != "/chat")
        {
            await send(new WebSocketClose()); // 403 before the upgrade
            return;
        }
        await send(WebSocketAccept.Plain);
        var member = room.Join();
        member.Outbox.Writer.TryWrite(Line("server", $"welcome {member.Name} ({scope.HttpVersion switch { "2" => "HTTP/2", "3" => "HTTP/3", _ => "HTTP/1.1" }})"));
        // Started on this flow without Task.Run: on the single-thread-loop backend it stays on the connection's loop.
        var pump = PumpAsync(room, member, send);
        try
        {
            while (await receive() is WebSocketReceive message)
            {
                if (message.Text is not { } text)
                {
                    await send(new WebSocketClose(1003, "text only")); // RFC 6455 §7.4.1: a kind of data it cannot accept
                    break;
                }
                if (text.Length > MaxLineLength)
                {
                    await send(new WebSocketClose(1009, "line too long"));
                    break;
                }
                room.Broadcast(Line(member.Name, text));
            }
        }
        finally
        {
            room.Leave(member);
            await pump;
        }
    }

    /// <summary>Sends the member's outbox in order until it is completed (the member left) or the client is gone.</summary>
    private static async Task PumpAsync(ChatRoom room, ChatRoom.Member member, AsgiSend send)
    {
        try
        {
            await foreach (var line in member.Outbox.Reader.ReadAllAsync())
                await send(new WebSocketSend(line));
        }
        catch (Exception e) when (e is ClientDisconnectedException or UnexpectedMessageException)
        {
            // The client left, or this side closed: the receive loop ends the session.
        }
        finally
        {
            room.Leave(member);
        }
    }

    private static string Line(string from, string text) => JsonSerializer.Serialize(new ChatLine(from, text), ChatJson.Default.ChatLine);

    private static byte[] ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Chat.index.html")
            ?? throw new InvalidOperationException("the page is embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
