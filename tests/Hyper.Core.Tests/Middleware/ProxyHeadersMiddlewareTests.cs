using System.Net;
using Hyper.Core.Application;
using Hyper.Core.Middleware;

namespace Hyper.Core.Tests.Middleware;

/// <summary>
/// Forwarding headers are believed from an allow-listed proxy only; the list is read from the right, skipping
/// trusted hops; RFC 7239 Forwarded wins over X-Forwarded-*; values that do not parse change nothing.
/// </summary>
public sealed class ProxyHeadersMiddlewareTests
{
    private static readonly TrustedProxies Trusted = TrustedProxies.Parse(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);

    private static HttpScope Scope(string peer, params (string Name, string Value)[] headers) => new()
    {
        HttpVersion = "1.1",
        Method = "GET",
        Scheme = "http",
        Path = "/",
        RawPath = "/"u8.ToArray(),
        QueryString = ReadOnlyMemory<byte>.Empty,
        Headers = [HeaderField.Of("host", "internal:8000"), .. headers.Select(h => HeaderField.Of(h.Name, h.Value))],
        Client = new IPEndPoint(IPAddress.Parse(peer), 50000),
        Server = new IPEndPoint(IPAddress.Loopback, 8000),
    };

    private static async Task<HttpScope> ServeAsync(HttpScope scope, TrustedProxies? trusted = null)
    {
        HttpScope? seen = null;
        var app = ProxyHeadersMiddleware.Wrap((s, _, _) =>
        {
            seen = (HttpScope)s;
            return ValueTask.CompletedTask;
        }, trusted ?? Trusted);
        await app(scope, () => ValueTask.FromResult<AsgiMessage>(HttpRequest.Empty), _ => ValueTask.CompletedTask);
        return seen!;
    }

    private static string? Host(HttpScope scope) => HeaderFields.GetString(scope.Headers, "host");

    [Fact]
    public async Task TrustedPeer_XForwarded_SetsClientSchemeHostAndRootPath()
    {
        var scope = await ServeAsync(Scope("127.0.0.1",
            ("x-forwarded-for", "203.0.113.7"), ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "example.com"), ("x-forwarded-prefix", "/api/")));

        scope.Client.Should().Be(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 0));
        scope.Scheme.Should().Be("https");
        Host(scope).Should().Be("example.com");
        scope.Headers.Count(h => h.NameIs("host"u8)).Should().Be(1);
        scope.RootPath.Should().Be("/api");
    }

    [Fact]
    public async Task UntrustedPeer_HeadersIgnored()
    {
        var original = Scope("198.51.100.9", ("x-forwarded-for", "203.0.113.7"), ("x-forwarded-proto", "https"), ("forwarded", "for=203.0.113.7"));

        var scope = await ServeAsync(original);

        scope.Should().BeSameAs(original);
        scope.Client!.Address.Should().Be(IPAddress.Parse("198.51.100.9"));
        scope.Scheme.Should().Be("http");
    }

    [Fact]
    public async Task XForwardedFor_ChainOfProxies_ClientIsTheFirstUntrustedFromTheRight()
    {
        // The client forged the first entry; 10.1.2.3 is our own proxy tier.
        var scope = await ServeAsync(Scope("10.0.0.5", ("x-forwarded-for", "1.1.1.1, 203.0.113.7, 10.1.2.3")));

        scope.Client!.Address.Should().Be(IPAddress.Parse("203.0.113.7"));
    }

    [Fact]
    public async Task XForwardedFor_SeveralFields_JoinedInOrder()
    {
        var scope = await ServeAsync(Scope("127.0.0.1", ("x-forwarded-for", "198.51.100.1"), ("x-forwarded-for", "203.0.113.7")));

        scope.Client!.Address.Should().Be(IPAddress.Parse("203.0.113.7"));
    }

    [Fact]
    public async Task Forwarded_Rfc7239_WinsOverXForwarded_QuotedIPv6WithPort()
    {
        var scope = await ServeAsync(Scope("127.0.0.1",
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=example.com, for=10.9.9.9;proto=http")));

        scope.Client.Should().Be(new IPEndPoint(IPAddress.Parse("2001:db8:cafe::17"), 4711));
        scope.Scheme.Should().Be("https");
        Host(scope).Should().Be("example.com");
    }

    [Fact]
    public async Task Forwarded_UnknownNode_KeepsThePeer()
    {
        var scope = await ServeAsync(Scope("127.0.0.1", ("forwarded", "for=unknown;proto=https")));

        scope.Client!.Address.Should().Be(IPAddress.Loopback);
        scope.Scheme.Should().Be("https");
    }

    [Theory]
    [InlineData("x-forwarded-proto", "gopher")]
    [InlineData("x-forwarded-host", "evil.com/path")]
    [InlineData("x-forwarded-prefix", "no-slash")]
    [InlineData("x-forwarded-for", "not-an-ip")]
    public async Task UnparsableValues_ChangeNothing(string name, string value)
    {
        var scope = await ServeAsync(Scope("127.0.0.1", (name, value)));

        scope.Scheme.Should().Be("http");
        Host(scope).Should().Be("internal:8000");
        scope.RootPath.Should().BeEmpty();
        scope.Client!.Address.Should().Be(IPAddress.Loopback);
    }

    [Fact]
    public async Task IPv4MappedPeer_MatchesAnIPv4Entry()
    {
        var scope = await ServeAsync(Scope("::ffff:10.0.0.1", ("x-forwarded-for", "203.0.113.7")));

        scope.Client!.Address.Should().Be(IPAddress.Parse("203.0.113.7"));
    }

    [Fact]
    public async Task Star_TrustsEveryPeer()
    {
        var scope = await ServeAsync(Scope("198.51.100.9", ("x-forwarded-proto", "https")), TrustedProxies.Parse(["*"]));

        scope.Scheme.Should().Be("https");
    }

    [Fact]
    public void TrustedProxies_CommaSeparatedEntries_AndAnInvalidOneNamed()
    {
        var trusted = TrustedProxies.Parse(["127.0.0.1, 192.168.0.0/16"]);

        trusted.Contains(IPAddress.Parse("192.168.4.4")).Should().BeTrue();
        trusted.Contains(IPAddress.Parse("192.169.0.1")).Should().BeFalse();
        TrustedProxies.FirstInvalid("10.0.0.1, 300.1.1.1").Should().Be("300.1.1.1");
        FluentActions.Invoking(() => TrustedProxies.Parse(["10.0.0.0/33"])).Should().Throw<FormatException>().WithMessage("*10.0.0.0/33*");
    }
}
