using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http2.Tests.Support;

namespace Hyper.Http2.Tests.Connection;

/// <summary>How an HTTP/2 request becomes the HTTP/1.1-shaped <see cref="RequestHead"/> applications read (§8.2.3, §8.3.1).</summary>
public sealed class RequestHeaderMappingTests
{
    [Fact]
    public void Request_PathAndQuery_SplitAtQuestionMark()
    {
        var h = HarnessRequests.Ready();

        h.Get(1, "/a/b?x=1&y=2");

        var head = h.TakeEvents().RequestOn(1)!;
        Encoding.ASCII.GetString(head.RawPath.Span).Should().Be("/a/b");
        Encoding.ASCII.GetString(head.QueryString.Span).Should().Be("x=1&y=2");
        head.HttpVersion.Should().Be("2");
        head.Method.Should().Be("GET");
        head.HasBody.Should().BeFalse();
    }

    [Fact]
    public void Request_CookieCrumbs_JoinedWithSemicolonSpace()
    {
        // RFC 9113 §8.2.3: crumbs are joined with "; " before an HTTP/1.1-shaped application sees them.
        var h = HarnessRequests.Ready();

        h.Get(1, "/", extra: [("cookie", "a=1"), ("x-other", "z"), ("cookie", "b=2"), ("cookie", "c=3")]);

        var head = h.TakeEvents().RequestOn(1)!;
        head.Headers.Count(f => f.Name.Span.SequenceEqual("cookie"u8)).Should().Be(1);
        head.Header("cookie").Should().Be("a=1; b=2; c=3");
    }

    [Fact]
    public void Request_Authority_BecomesHostHeaderAndAuthority()
    {
        var h = HarnessRequests.Ready();

        h.Get(1);

        var head = h.TakeEvents().RequestOn(1)!;
        head.Header("host").Should().Be("localhost");
        Encoding.ASCII.GetString(head.Authority.Span).Should().Be("localhost");
    }

    [Fact]
    public void Request_HostWithoutAuthority_AuthorityFromHost()
    {
        var h = HarnessRequests.Ready();

        h.Raw(1, [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("host", "example.org")]);

        var head = h.TakeEvents().RequestOn(1)!;
        Encoding.ASCII.GetString(head.Authority.Span).Should().Be("example.org");
        head.Headers.Count(f => f.Name.Span.SequenceEqual("host"u8)).Should().Be(1);
    }

    [Fact]
    public void Request_HostAndAuthority_HostKeptAsSentAuthorityFromPseudoHeader()
    {
        var h = HarnessRequests.Ready();

        h.Get(1, "/", extra: ("host", "other.example"));

        var head = h.TakeEvents().RequestOn(1)!;
        Encoding.ASCII.GetString(head.Authority.Span).Should().Be("localhost");
        head.Header("host").Should().Be("other.example");
    }

    [Fact]
    public void Request_WithBody_ContentLengthAndHasBody()
    {
        var h = HarnessRequests.Ready();

        h.Post(1, contentLength: 3);

        var head = h.TakeEvents().RequestOn(1)!;
        head.HasBody.Should().BeTrue();
        head.ContentLength.Should().Be(3);
    }
}
