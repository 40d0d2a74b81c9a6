using Hyper.Core.Configuration;

namespace Hyper.Cli.Tests;

public class HyperOptionsBinderTests
{
    private static HyperOptions Bind(params (string Key, string? Value)[] values) =>
        HyperOptionsBinder.Bind(ConfigurationFactory.From(values));

    [Fact]
    public void Bind_EmptyConfiguration_GivesDefaults()
    {
        Bind().Should().BeEquivalentTo(new HyperOptions());
    }

    [Fact]
    public void Options_EveryAttributedProperty_IsInTheKeyTableOnce()
    {
        var keys = HyperOptionsBinder.Options.Select(o => o.Key).ToList();
        keys.Should().OnlyHaveUniqueItems();
        keys.Should().Contain(["bind", "keep_alive_timeout", "h11_max_request_line_size", "max_body_size"]);
        HyperOptionsBinder.Options.Where(o => o.IsHttp11Limit).Should().HaveCount(6);
    }

    [Fact]
    public void Bind_String_SetsValueVerbatim()
    {
        Bind(("root_path", "/api"), ("worker_class", "thread-pool")).Should()
            .Match<HyperOptions>(o => o.RootPath == "/api" && o.WorkerClass == "thread-pool");
    }

    [Fact]
    public void Bind_NullableStringEmpty_IsNull()
    {
        Bind(("errorlog", "")).ErrorLog.Should().BeNull();
        Bind(("accesslog", "-")).AccessLog.Should().Be("-");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    public void Bind_BooleanWords_Parse(string text, bool expected)
    {
        Bind(("include_server_header", text)).IncludeServerHeader.Should().Be(expected);
    }

    [Fact]
    public void Bind_BadBoolean_NamesKeyValueAndForm()
    {
        var act = () => Bind(("log_json", "maybe"));
        act.Should().Throw<OptionsValidationException>()
            .Where(e => e.Key == "log_json")
            .WithMessage("log_json: 'maybe' is not a boolean: true/false*");
    }

    [Fact]
    public void Bind_IntAndLong_Parse()
    {
        var options = Bind(("backlog", "2048"), ("max_body_size", "5000000000"), ("h11_max_header_size", "1024"));
        options.Backlog.Should().Be(2048);
        options.Http11.MaxBodySize.Should().Be(5_000_000_000);
        options.Http11.MaxHeaderSize.Should().Be(1024);
    }

    [Theory]
    [InlineData("backlog", "1.5")]
    [InlineData("backlog", "0x10")]
    [InlineData("backlog", "1_000")]
    [InlineData("backlog", "3000000000")]
    [InlineData("max_body_size", "ten")]
    public void Bind_BadWholeNumber_NamesKeyAndValue(string key, string value)
    {
        var act = () => Bind((key, value));
        act.Should().Throw<OptionsValidationException>()
            .Where(e => e.Key == key)
            .WithMessage($"{key}: '{value}' is not a whole number");
    }

    [Fact]
    public void Bind_Double_ParsesInvariant()
    {
        Bind(("min_response_rate", "120.5")).MinResponseRate.Should().Be(120.5);
    }

    [Fact]
    public void Bind_BadDouble_NamesKey()
    {
        var act = () => Bind(("min_request_body_rate", "NaN"));
        act.Should().Throw<OptionsValidationException>().Where(e => e.Key == "min_request_body_rate");
    }

    [Theory]
    [InlineData("5", 5000)]
    [InlineData("2.5", 2500)]
    [InlineData("0.001", 1)]
    [InlineData("0", 0)]
    public void Bind_TimeSpan_IsSeconds(string text, int milliseconds)
    {
        Bind(("keep_alive_timeout", text)).KeepAliveTimeout.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public void Bind_TimeSpanWithUnit_NamesKeyValueAndForm()
    {
        var act = () => Bind(("graceful_timeout", "5s"));
        act.Should().Throw<OptionsValidationException>()
            .WithMessage("graceful_timeout: '5s' is not a number of seconds, e.g. 5 or 2.5");
    }

    [Fact]
    public void Bind_NegativeTimeSpan_FailsValidationNamingKey()
    {
        var act = () => Bind(("keep_alive_timeout", "-1"));
        act.Should().Throw<OptionsValidationException>().Where(e => e.Key == "keep_alive_timeout");
    }

    [Fact]
    public void Bind_NullableTimeSpan_AbsentOrEmptyIsNull()
    {
        Bind().ReadTimeout.Should().BeNull();
        Bind(("read_timeout", "")).ReadTimeout.Should().BeNull();
        Bind(("read_timeout", "0.25")).ReadTimeout.Should().Be(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Bind_BindList_ParsesEachInIndexOrder()
    {
        var options = Bind(("bind:1", "[::1]:8001"), ("bind:0", "127.0.0.1:8001"), ("bind:2", "unix:/tmp/hyper.sock"));
        options.Bind.Should().Equal(
            new BindAddress(BindKind.Tcp, "127.0.0.1", 8001),
            new BindAddress(BindKind.Tcp, "::1", 8001),
            new BindAddress(BindKind.Unix, "", 0, UnixPath: "/tmp/hyper.sock"));
    }

    [Fact]
    public void Bind_ListGivenAsSingleString_IsOneElementList()
    {
        Bind(("bind", "0.0.0.0:80")).Bind.Should().Equal(new BindAddress(BindKind.Tcp, "0.0.0.0", 80));
        Bind(("server_names", "example.com")).ServerNames.Should().Equal("example.com");
    }

    [Fact]
    public void Bind_StringList_Parses()
    {
        Bind(("server_names:0", "a.example"), ("server_names:1", "b.example")).ServerNames
            .Should().Equal("a.example", "b.example");
    }

    [Fact]
    public void Bind_EmptyBindList_FailsValidation()
    {
        var act = () => Bind(("bind", ""));
        act.Should().Throw<OptionsValidationException>().WithMessage("bind: at least one bind is required");
    }

    [Fact]
    public void Bind_BadBind_NamesKeyAndBindError()
    {
        var act = () => Bind(("bind:0", "foo:bar"));
        act.Should().Throw<OptionsValidationException>()
            .WithMessage("bind: 'foo:bar': port must be a number from 0 to 65535");
    }

    [Fact]
    public void Bind_UnknownKey_NamesItAndSuggestsClosest()
    {
        var act = () => Bind(("keep_alive_timout", "3"));
        act.Should().Throw<OptionsValidationException>()
            .Where(e => e.Key == "keep_alive_timout")
            .WithMessage("*unknown option 'keep_alive_timout'; did you mean 'keep_alive_timeout'?");
    }

    [Fact]
    public void Bind_UnknownKeyFarFromAll_HasNoSuggestion()
    {
        var act = () => Bind(("zzzzzzzz", "3"));
        act.Should().Throw<OptionsValidationException>().Which.Message.Should().NotContain("did you mean");
    }

    [Fact]
    public void Bind_TableWhereScalarExpected_NamesKey()
    {
        var act = () => Bind(("backlog:depth", "3"));
        act.Should().Throw<OptionsValidationException>().WithMessage("backlog: expected a single value*");
    }

    [Fact]
    public void Bind_TableWhereListExpected_NamesKey()
    {
        var act = () => Bind(("bind:primary", "127.0.0.1:80"));
        act.Should().Throw<OptionsValidationException>().WithMessage("bind: expected a list*'primary'");
    }

    [Fact]
    public void Bind_KeysAreCaseInsensitive()
    {
        Bind(("KEEP_ALIVE_TIMEOUT", "7")).KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Bind_ValueBreakingARule_FailsValidation()
    {
        var act = () => Bind(("root_path", "api"));
        act.Should().Throw<OptionsValidationException>().Where(e => e.Key == "root_path");
    }

    [Fact]
    public void EnvironmentVariable_IsPrefixedUpperKey()
    {
        HyperOptionsBinder.Find("keep_alive_timeout")!.EnvironmentVariable.Should().Be("HYPER_KEEP_ALIVE_TIMEOUT");
    }
}
