using System.Net;
using Hyper.Core.Configuration;
using Hyper.Core.Middleware;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>The HTTP→HTTPS redirect middleware on a server with a TLS bind and an insecure bind.</summary>
public sealed class HttpsRedirectEndToEndTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task InsecureBind_Redirects307_AndTheHttpsBindServesTheApp(string backend)
    {
        await using var server = await TlsTestServer.StartAsync(backend, HttpToHttpsRedirectMiddleware.Wrap(TlsApps.Describe), _tls,
            configure: o => o with { InsecureBind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)] });
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15) };
        using var secure = server.CreateClient(_tls);

        using var redirect = await plain.PostAsync($"http://127.0.0.1:{server.InsecurePort}/a/b?x=1", new StringContent("body"));
        var overTls = await secure.GetStringAsync("/a/b?x=1");

        redirect.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        redirect.Headers.Location.Should().Be(new Uri("https://127.0.0.1/a/b?x=1"));
        overTls.Should().StartWith("scheme=https;");
    }

    public void Dispose() => _tls.Dispose();
}
