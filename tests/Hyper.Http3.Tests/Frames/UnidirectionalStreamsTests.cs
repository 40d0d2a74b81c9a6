using Hyper.Http3.Frames;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Frames;

public sealed class UnidirectionalStreamsTests
{
    [Theory]
    [InlineData("00", UnidirectionalStreamRole.Control)]
    [InlineData("02", UnidirectionalStreamRole.QpackEncoder)]
    [InlineData("03", UnidirectionalStreamRole.QpackDecoder)]
    [InlineData("21", UnidirectionalStreamRole.Ignore)]
    [InlineData("4054", UnidirectionalStreamRole.Ignore)] // WebTransport's 0x54, unknown here
    public void TypePrefix_GivesTheRole(string hex, UnidirectionalStreamRole expected)
    {
        var streams = new UnidirectionalStreams();
        var bytes = Hex.Parse(hex + "aabb");

        streams.TryReadType(2, bytes, out var role, out var consumed).Should().BeTrue();

        role.Should().Be(expected);
        consumed.Should().Be(bytes.Length - 2);
    }

    [Fact]
    public void TypePrefix_SplitAcrossCalls()
    {
        var streams = new UnidirectionalStreams();
        var bytes = Hex.Parse("c000000000000002 01"); // type 2 in eight octets, then content

        for (var i = 0; i < 7; i++) streams.TryReadType(6, bytes.AsSpan(i, 1), out _, out _).Should().BeFalse();
        streams.TryReadType(6, bytes.AsSpan(7), out var role, out var consumed).Should().BeTrue();

        role.Should().Be(UnidirectionalStreamRole.QpackEncoder);
        consumed.Should().Be(1);
    }

    [Theory]
    [InlineData("00", "a second control stream (RFC 9114 §6.2.1)")]
    [InlineData("02", "a second QPACK encoder stream (RFC 9204 §4.2)")]
    [InlineData("03", "a second QPACK decoder stream (RFC 9204 §4.2)")]
    public void SecondCriticalStream_IsStreamCreationError(string hex, string because)
    {
        var streams = new UnidirectionalStreams();
        streams.TryReadType(2, Hex.Parse(hex), out _, out _);

        var act = () => streams.TryReadType(6, Hex.Parse(hex), out _, out _);

        act.Should().Throw<Http3Exception>(because).Which.ErrorCode.Should().Be(Http3ErrorCode.StreamCreationError);
    }

    [Fact]
    public void PushStreamFromAClient_IsStreamCreationError()
    {
        var act = () => new UnidirectionalStreams().TryReadType(2, Hex.Parse("01"), out _, out _);

        act.Should().Throw<Http3Exception>().Which.ErrorCode.Should().Be(Http3ErrorCode.StreamCreationError);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("02")]
    [InlineData("03")]
    public void ClosingACriticalStream_IsClosedCriticalStream(string hex)
    {
        var streams = new UnidirectionalStreams();
        streams.TryReadType(2, Hex.Parse(hex), out _, out _);

        var act = () => streams.OnStreamClosed(2);

        act.Should().Throw<Http3Exception>().Which.ErrorCode.Should().Be(Http3ErrorCode.ClosedCriticalStream);
    }

    [Fact]
    public void ClosingAnIgnoredStream_IsFine_AndIgnoredStreamsAreCounted()
    {
        var streams = new UnidirectionalStreams();
        streams.TryReadType(2, Hex.Parse("21"), out _, out _);
        streams.TryReadType(6, Hex.Parse("40"), out _, out _).Should().BeFalse("an incomplete type");

        streams.OnStreamClosed(2);
        streams.OnStreamClosed(6);

        streams.IgnoredStreams.Should().Be(1);
    }
}
