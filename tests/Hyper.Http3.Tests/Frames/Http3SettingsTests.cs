using System.Buffers;
using Hyper.Http3.Frames;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Frames;

public sealed class Http3SettingsTests
{
    [Fact]
    public void EverySetting_RoundTrips()
    {
        var settings = new Http3Settings
        {
            QpackMaxTableCapacity = 4096, QpackBlockedStreams = 16, MaxFieldSectionSize = 65536, EnableConnectProtocol = true, H3Datagram = true,
        };
        var output = new ArrayBufferWriter<byte>();

        settings.WritePayload(output);

        Hex.Format(output.WrittenSpan).Should().Be("01" + "5000" + "06" + "80010000" + "07" + "10" + "08" + "01" + "33" + "01");
        Http3Settings.Decode(output.WrittenSpan).Should().Be(settings);
    }

    [Fact]
    public void DefaultSettings_AreAnEmptyPayload_AndDecodeToDefaults()
    {
        new Http3Settings().GetPayloadLength().Should().Be(0);
        Http3Settings.Decode([]).Should().Be(new Http3Settings());
    }

    [Fact]
    public void UnknownAndGreaseIdentifiers_AreSkippedAndCounted()
    {
        var settings = Http3Settings.Decode(Hex.Parse("21 05" + "4040 00" + "01 10"));

        settings.QpackMaxTableCapacity.Should().Be(16);
        settings.UnknownSettingCount.Should().Be(2);
    }

    [Theory]
    [InlineData("02 00", Http3ErrorCode.SettingsError, "SETTINGS_ENABLE_PUSH is HTTP/2 only (§7.2.4.1)")]
    [InlineData("03 24", Http3ErrorCode.SettingsError, "SETTINGS_MAX_CONCURRENT_STREAMS is HTTP/2 only")]
    [InlineData("04 00", Http3ErrorCode.SettingsError, "SETTINGS_INITIAL_WINDOW_SIZE is HTTP/2 only")]
    [InlineData("05 00", Http3ErrorCode.SettingsError, "SETTINGS_MAX_FRAME_SIZE is HTTP/2 only")]
    [InlineData("01 00 01 00", Http3ErrorCode.SettingsError, "a repeated identifier (§7.2.4)")]
    [InlineData("21 00 21 00", Http3ErrorCode.SettingsError, "a repeated unknown identifier (§7.2.4)")]
    [InlineData("08 02", Http3ErrorCode.SettingsError, "ENABLE_CONNECT_PROTOCOL is 0 or 1 (RFC 9220)")]
    [InlineData("33 02", Http3ErrorCode.SettingsError, "H3_DATAGRAM is 0 or 1 (RFC 9297)")]
    [InlineData("01", Http3ErrorCode.FrameError, "an identifier without a value (§7.1)")]
    [InlineData("01 40", Http3ErrorCode.FrameError, "a value cut short (§7.1)")]
    public void BadSettings_GiveTheirErrorCode(string hex, Http3ErrorCode expected, string because)
    {
        var act = () => Http3Settings.Decode(Hex.Parse(hex));

        act.Should().Throw<Http3Exception>(because).Which.ErrorCode.Should().Be(expected);
    }
}
