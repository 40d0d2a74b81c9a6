using System.Text;
using Hyper.Core.Http;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Http;

public sealed class DateHeaderCacheTests
{
    [Fact]
    public void Current_IsImfFixdate_AndCachedWithinASecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var cache = new DateHeaderCache(time);

        var first = cache.Current;
        time.Advance(TimeSpan.FromMilliseconds(500));
        var second = cache.Current;
        time.Advance(TimeSpan.FromMilliseconds(600));
        var third = cache.Current;

        Encoding.ASCII.GetString(first.Value.Span).Should().Be("Wed, 25 Nov 2026 10:00:00 GMT");
        second.Value.Equals(first.Value).Should().BeTrue("the same second reuses the same bytes");
        Encoding.ASCII.GetString(third.Value.Span).Should().Be("Wed, 25 Nov 2026 10:00:01 GMT");
        Encoding.ASCII.GetString(first.Value.Span).Should().Be("Wed, 25 Nov 2026 10:00:00 GMT", "earlier fields stay valid");
    }
}
