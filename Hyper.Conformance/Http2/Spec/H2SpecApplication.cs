using System.Globalization;
using Hyper.Core.Application;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// The application a server runs under the suite (and under h2spec): it reads the whole request body, then answers
/// <c>200</c> with <see cref="Body"/>. The flow-control cases (http2/6.9.1, 6.9.2, 6.5.3) need a body of at least
/// five octets to watch the server split it by window; h2spec skips them against an empty one.
/// <see cref="AnswerBeforeReadingAsync"/> is the other kind of application, the README's: it answers without reading
/// the body, so the response may be complete while the request is still arriving (the stream is then half-closed
/// (local), RFC 9113 §5.1, and the client's errors on it must still be answered).
/// </summary>
public static class H2SpecApplication
{
    public static readonly byte[] Body = "Hyper conformance response body\n"u8.ToArray();

    public static async ValueTask RunAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope) return;
        while (true)
        {
            var message = await receive();
            if (message is not HttpRequest request) return;
            if (!request.MoreBody) break;
        }
        await AnswerAsync(send);
    }

    public static async ValueTask AnswerBeforeReadingAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope) return;
        await AnswerAsync(send);
    }

    private static async ValueTask AnswerAsync(AsgiSend send)
    {
        await send(new HttpResponseStart(200,
        [
            HeaderField.Of("content-type", "text/plain"),
            HeaderField.Of("content-length", Body.Length.ToString(CultureInfo.InvariantCulture)),
        ]));
        await send(new HttpResponseBody(Body));
    }
}
