using System.Buffers;
using System.Net;
using Autofac;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;
using Hyper.Http2.Frames;

namespace Hyper.Http2.Tests;

/// <summary>What HTTP/2 registers, and the h2c switch its upgrade target accepts or declines (RFC 7540 §3.2).</summary>
public sealed class Http2ModuleTests
{
    // SETTINGS_MAX_CONCURRENT_STREAMS = 100, base64url without padding (RFC 7540 §3.2.1).
    private const string ValidSettings = "AAMAAABk";

    private static ProtocolRegistration Registered(HyperOptions options)
    {
        var builder = new ContainerBuilder();
        builder.RegisterInstance(options);
        builder.RegisterModule<Http2Module>();
        using var container = builder.Build();
        return container.Resolve<IEnumerable<ProtocolRegistration>>().Should().ContainSingle().Subject;
    }

    [Fact]
    public void Module_RegistersAlpnPrefaceAndUpgradeToken()
    {
        var registration = Registered(new HyperOptions());

        registration.AlpnId.Should().Be("h2");
        registration.AlpnPreference.Should().BeLessThan(200, "h2 is preferred over http/1.1 (which registers 200)");
        registration.CleartextPreface.Should().BeSameAs(PrefaceSniffer.Instance);
        registration.UpgradeToken.Should().Be("h2c");
        registration.IsDefault.Should().BeFalse();
        registration.Factory.Should().BeOfType<Http2ProtocolFactory>();
    }

    [Fact]
    public void Module_UpgradeNotAllowed_NoUpgradeToken()
    {
        var registration = Registered(new HyperOptions { Http2 = new Http2Limits { AllowH2cUpgrade = false } });

        registration.UpgradeToken.Should().BeNull("H2-16: h2_allow_upgrade = false turns the switch off");
        registration.AlpnId.Should().Be("h2");
    }

    private static RequestHead Request(params (string Name, string Value)[] headers) => new()
    {
        Method = "GET",
        RawPath = "/"u8.ToArray(),
        QueryString = ReadOnlyMemory<byte>.Empty,
        HttpVersion = "1.1",
        Headers = headers.Select(h => HeaderField.Of(h.Name, h.Value)).ToArray(),
    };

    private static RequestHead UpgradeRequest(string settings = ValidSettings) => Request(
        ("host", "x"), ("connection", "Upgrade, HTTP2-Settings"), ("upgrade", "h2c"), ("http2-settings", settings));

    private static IUpgradeTargetFactory Target() => new Http2ProtocolFactory(new HyperOptions());

    [Fact]
    public void CreateUpgraded_ValidRequest_NewConnectionWritesItsSettingsFirst()
    {
        var output = new ArrayBufferWriter<byte>();

        var protocol = Target().CreateUpgraded(new ConnectionInfo(new IPEndPoint(IPAddress.Loopback, 1), null, IsTls: false), UpgradeRequest(), 0, output);

        protocol.Should().BeOfType<Http2Connection>();
        output.WrittenCount.Should().BeGreaterThan(Http2FrameHeader.Size);
        ((Http2FrameType)output.WrittenSpan[3]).Should().Be(Http2FrameType.Settings, "RFC 7540 §3.2: the server's first frame after 101");
    }

    [Fact]
    public void CreateUpgraded_OnTls_Declined()
    {
        var output = new ArrayBufferWriter<byte>();

        Target().CreateUpgraded(new ConnectionInfo(null, null, IsTls: true), UpgradeRequest(), 0, output).Should().BeNull("h2c is cleartext only");
        output.WrittenCount.Should().Be(0);
    }

    [Fact]
    public void CreateUpgraded_InvalidSettings_Declined()
    {
        var output = new ArrayBufferWriter<byte>();

        Target().CreateUpgraded(new ConnectionInfo(null, null, IsTls: false), UpgradeRequest("AAMAAAB"), 0, output).Should().BeNull();
        output.WrittenCount.Should().Be(0);
    }

    [Fact]
    public void CreateUpgraded_NoHttp2SettingsField_Declined()
    {
        var request = Request(("host", "x"), ("connection", "Upgrade"), ("upgrade", "h2c"));

        Target().CreateUpgraded(new ConnectionInfo(null, null, IsTls: false), request, 0, new ArrayBufferWriter<byte>()).Should().BeNull();
    }
}
