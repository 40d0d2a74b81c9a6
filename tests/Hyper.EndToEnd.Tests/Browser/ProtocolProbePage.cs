using System.Text;
using System.Text.RegularExpressions;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests.Browser;

/// <summary>
/// An application serving one HTML page whose inline script writes the protocol the browser used to fetch it
/// (Navigation Timing's <c>nextHopProtocol</c>: the ALPN id, e.g. <c>h2</c> or <c>http/1.1</c>) into the DOM and the
/// title, where <c>--dump-dom</c> shows it.
/// </summary>
public static partial class ProtocolProbePage
{
    private const string Html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>pending</title></head>
        <body><p id="protocol">pending</p>
        <script>
          const navigation = performance.getEntriesByType('navigation')[0];
          const reported = navigation ? navigation.nextHopProtocol : 'no-navigation-entry';
          document.getElementById('protocol').textContent = 'protocol=' + reported;
          document.title = reported;
        </script></body></html>
        """;

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(Html);

    public static async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is not HttpScope http) return;
        await Apps.ReadBodyAsync(receive);
        if (http.Path != "/")
        {
            // The browser also asks for /favicon.ico: a plain 404 keeps it out of the page.
            await Apps.RespondAsync(send, 404, "not found");
            return;
        }
        await send(new HttpResponseStart(200, [Apps.H("content-type", "text/html; charset=utf-8"), Apps.H("cache-control", "no-store")]));
        await send(new HttpResponseBody(Body));
    }

    /// <summary>What the script wrote into the paragraph, or null when the dumped DOM does not hold it.</summary>
    public static string? ReportedProtocol(string dom)
    {
        var match = Reported().Match(dom);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""<p id="protocol">protocol=([^<]*)</p>""")]
    private static partial Regex Reported();
}
