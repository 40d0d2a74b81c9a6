namespace Hyper.Core.Application;

/// <summary>
/// An application: the .NET rendering of an ASGI 3.0 callable, <c>async def app(scope, receive, send)</c>.
/// The server calls it once per HTTP request, WebSocket session or lifespan.
/// </summary>
public delegate ValueTask AsgiApplication(AsgiScope scope, AsgiReceive receive, AsgiSend send);

/// <summary>Waits for the next event from the server (<c>http.request</c>, <c>http.disconnect</c>, …).</summary>
public delegate ValueTask<AsgiMessage> AsgiReceive();

/// <summary>Sends one event to the server (<c>http.response.start</c>, <c>http.response.body</c>, …).</summary>
public delegate ValueTask AsgiSend(AsgiMessage message);
