using Hyper.Core.Configuration;

namespace Hyper.Core.Tests.Configuration;

public sealed class HyperOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndFollowTheCatalogue()
    {
        var options = new HyperOptions().Validate();

        options.Bind.Should().ContainSingle().Which.ToString().Should().Be("127.0.0.1:8000");
        options.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.Http11.MaxRequestLineSize.Should().Be(8192);
        options.Http11.MaxHeaderSize.Should().Be(32768);
        options.Http11.MaxHeaderCount.Should().Be(100);
        options.Http11.MaxBodySize.Should().Be(30_000_000);
        options.RequestHeadersTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.KeepAliveMaxRequests.Should().Be(1000);
        options.MaxConnections.Should().Be(0, "max_connections is off by default, as Kestrel's MaxConcurrentConnections");
    }

    public static TheoryData<string, Func<HyperOptions, HyperOptions>> WrongValues() => new()
    {
        { "backlog", o => o with { Backlog = 0 } },
        { "bind", o => o with { Bind = [] } },
        { "keep_alive_timeout", o => o with { KeepAliveTimeout = TimeSpan.FromSeconds(-1) } },
        { "root_path", o => o with { RootPath = "no-slash" } },
        { "loglevel", o => o with { LogLevel = "loud" } },
        { "max_body_size", o => o with { Http11 = o.Http11 with { MaxBodySize = -1 } } },
        { "max_header_count", o => o with { Http11 = o.Http11 with { MaxHeaderCount = 0 } } },
        { "min_request_body_rate", o => o with { MinRequestBodyRate = -5 } },
        { "max_connections", o => o with { MaxConnections = -1 } },
    };

    [Theory, MemberData(nameof(WrongValues))]
    public void Validate_WrongValue_NamesTheKey(string key, Func<HyperOptions, HyperOptions> change)
    {
        var validate = () => change(new HyperOptions()).Validate();

        validate.Should().Throw<OptionsValidationException>().Which.Key.Should().Be(key);
    }
}
