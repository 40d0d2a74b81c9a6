using System.Globalization;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.Conformance.Http11;

/// <summary>
/// The application a server under test runs while the vectors are replayed: it reads the whole body and answers
/// <c>200</c> with <c>method SP path SP body-length SP body</c>, plus the request header names in
/// <see cref="HeaderNamesField"/>. What the server handed the application can then be read off the wire,
/// so a smuggled request shows up as an extra echo and a mis-framed body as a wrong one.
/// Any other server (Kestrel, for comparison) runs the same contract to be measured the same way.
/// </summary>
public static class EchoApplication
{
    /// <summary>Response field carrying the request header names, comma-separated, in wire order.</summary>
    public const string HeaderNamesField = "x-echo-header-names";

    public static async ValueTask RunAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        var body = new MemoryStream();
        while (true)
        {
            var message = await receive();
            if (message is not HttpRequest request) return;
            body.Write(request.Body.Span);
            if (!request.MoreBody) break;
        }

        var echo = new MemoryStream();
        echo.Write(Encoding.Latin1.GetBytes(Format(http.Method, http.Path, body.Length)));
        body.Position = 0;
        body.CopyTo(echo);
        var payload = echo.ToArray();
        var names = string.Join(",", http.Headers.Select(h => h.NameString));
        await send(new HttpResponseStart(200,
        [
            HeaderField.Of("content-type", "application/octet-stream"),
            HeaderField.Of("content-length", payload.Length.ToString(CultureInfo.InvariantCulture)),
            HeaderField.Of(HeaderNamesField, names),
        ]));
        await send(new HttpResponseBody(payload));
    }

    /// <summary>The echo prefix before the body bytes.</summary>
    public static string Format(string method, string path, long bodyLength) =>
        $"{method} {path} {bodyLength.ToString(CultureInfo.InvariantCulture)} ";

    /// <summary>Reads an echo back; null when the body is not one (e.g. an error page).</summary>
    public static EchoedRequest? Parse(byte[] responseBody, string? headerNames)
    {
        var text = Encoding.Latin1.GetString(responseBody);
        var parts = text.Split(' ', 4);
        if (parts.Length != 4 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || parts[3].Length != length)
            return null;
        var names = headerNames is null ? null : headerNames.Length == 0 ? [] : headerNames.Split(',');
        return new EchoedRequest(parts[0], parts[1], parts[3], names);
    }
}
