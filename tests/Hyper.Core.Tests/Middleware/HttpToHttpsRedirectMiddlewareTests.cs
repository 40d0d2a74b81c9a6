using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Middleware;

namespace Hyper.Core.Tests.Middleware;

public sealed class HttpToHttpsRedirectMiddlewareTests
{
    private readonly List<AsgiMessage> _sent = [];
    private bool _appCalled;

    private ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        _appCalled = true;
        return ValueTask.CompletedTask;
    }

    private ValueTask Send(AsgiMessage message)
    {
        _sent.Add(message);
        return ValueTask.CompletedTask;
    }

    private static ValueTask<AsgiMessage> Receive() => ValueTask.FromResult<AsgiMessage>(HttpRequest.Empty);

    private static HttpScope Scope(string scheme, string rawPath = "/a%20b", string query = "x=1", string? host = "example.com:8080", string rootPath = "") => new()
    {
        HttpVersion = "1.1",
        Method = "POST",
        Scheme = scheme,
        Path = Uri.UnescapeDataString(rawPath),
        RawPath = Encoding.ASCII.GetBytes(rawPath),
        QueryString = Encoding.ASCII.GetBytes(query),
        RootPath = rootPath,
        Headers = host is null ? [] : [HeaderField.Of("host", host)],
    };

    private async Task<(int Status, string? Location)> RunAsync(HttpScope scope, string? host = null)
    {
        await HttpToHttpsRedirectMiddleware.Wrap(App, host)(scope, Receive, Send);
        var start = _sent.OfType<HttpResponseStart>().SingleOrDefault();
        var location = start?.Headers.Where(h => h.NameIs("location"u8)).Select(h => h.ValueString).SingleOrDefault();
        return (start?.Status ?? 0, location);
    }

    [Fact]
    public async Task Http_WithHostHeader_Redirects307ToHttpsKeepingEncodedPathAndQuery()
    {
        var (status, location) = await RunAsync(Scope("http"));

        status.Should().Be(307);
        location.Should().Be("https://example.com/a%20b?x=1");
        _appCalled.Should().BeFalse();
        _sent.OfType<HttpResponseBody>().Single().MoreBody.Should().BeFalse();
    }

    [Fact]
    public async Task Http_ConfiguredHost_WinsOverHostHeader()
    {
        var (_, location) = await RunAsync(Scope("http", host: "evil.test"), host: "example.com:8443");

        location.Should().Be("https://example.com:8443/a%20b?x=1");
    }

    [Fact]
    public async Task Http_RootPathAndNoQuery_RootPathPrefixedWithoutQuestionMark()
    {
        var (_, location) = await RunAsync(Scope("http", rawPath: "/p", query: "", rootPath: "/app"));

        location.Should().Be("https://example.com/app/p");
    }

    [Fact]
    public async Task Http_Ipv6HostHeader_KeepsBracketsDropsPort()
    {
        var (_, location) = await RunAsync(Scope("http", host: "[::1]:8080"));

        location.Should().Be("https://[::1]/a%20b?x=1");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("evil.test/@good.test")]
    [InlineData("a b")]
    [InlineData("host:99999")]
    public async Task Http_MissingOrInvalidHostHeader_Answers400(string? host)
    {
        var (status, location) = await RunAsync(Scope("http", host: host));

        status.Should().Be(400);
        location.Should().BeNull();
    }

    [Fact]
    public async Task Https_PassesThroughToTheApplication()
    {
        await RunAsync(Scope("https"));

        _appCalled.Should().BeTrue();
        _sent.Should().BeEmpty();
    }

    [Fact]
    public async Task Lifespan_PassesThroughToTheApplication()
    {
        await HttpToHttpsRedirectMiddleware.Wrap(App)(new LifespanScope(), Receive, Send);

        _appCalled.Should().BeTrue();
    }

    [Fact]
    public void Construct_InvalidHost_Throws()
    {
        var create = () => new HttpToHttpsRedirectMiddleware(App, "bad/host");

        create.Should().Throw<ArgumentException>();
    }
}
