using System.Text;
using Hyper.Core.Application;

namespace Hyper.Backends.Structured.Tests.Support;

/// <summary>A complete response with a content-length, so the raw client needs no chunked decoding.</summary>
public static class Respond
{
    public static async ValueTask TextAsync(AsgiSend send, int status, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        await send(new HttpResponseStart(status,
        [
            HeaderField.Of("content-type", "text/plain"),
            HeaderField.Of("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]));
        await send(new HttpResponseBody(body));
    }
}
