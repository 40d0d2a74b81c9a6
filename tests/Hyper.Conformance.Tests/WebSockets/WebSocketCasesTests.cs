using Hyper.Conformance.WebSockets;

namespace Hyper.Conformance.Tests.WebSockets;

/// <summary>The catalogue itself: every Autobahn group the suite covers is present, ids are unique, every case cites its rule.</summary>
public sealed class WebSocketCasesTests
{
    [Theory]
    [InlineData("ws/1"), InlineData("ws/2"), InlineData("ws/3"), InlineData("ws/4"), InlineData("ws/5"), InlineData("ws/6"), InlineData("ws/7"),
     InlineData("ws/9"), InlineData("ws/12"), InlineData("ws/13")]
    public void Group_InCatalogue_HasCases(string group)
    {
        WebSocketCases.All.Should().Contain(c => c.Group == group);
    }

    [Fact]
    public void All_Ids_AreUnique_AndEveryCaseCitesItsRule()
    {
        WebSocketCases.All.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        WebSocketCases.All.Should().OnlyContain(c => c.Section.StartsWith("RFC 6455 §") || c.Section.StartsWith("RFC 7692 §"));
        WebSocketCases.All.Should().OnlyContain(c => c.Steps.Count > 0 && c.Description.Length > 0);
    }

    [Fact]
    public void Http2Subset_CoversEveryGroup()
    {
        var groups = WebSocketCases.All.Select(c => c.Group).Distinct();
        WebSocketCases.All.Where(c => c.OverHttp2).Select(c => c.Group).Distinct().Should().BeEquivalentTo(groups);
    }

    [Fact]
    public void ClientFrame_MasksThePayload_AndPicksTheShortestLength()
    {
        var frame = ClientFrame.Build(ClientFrame.Text, "Hello"u8);

        // RFC 6455 §5.7's masked "Hello" with the suite's key: FIN+text, MASK+5, key, masked bytes.
        frame[..2].Should().Equal(0x81, 0x85);
        frame.AsSpan(2, 4).ToArray().Should().Equal(ClientFrame.MaskingKey.ToArray());
        frame.AsSpan(6).ToArray().Select((b, i) => (byte)(b ^ ClientFrame.MaskingKey[i & 3])).Should().Equal("Hello"u8.ToArray());
        ClientFrame.Build(ClientFrame.Binary, new byte[126])[1].Should().Be(0x80 | 126);
        ClientFrame.Build(ClientFrame.Binary, new byte[65_536])[1].Should().Be(0x80 | 127);
    }

    [Fact]
    public void ClientDeflate_RoundTripsWithContextTakeover()
    {
        using var deflate = new ClientDeflate(clientNoContextTakeover: false, serverNoContextTakeover: false);
        var first = deflate.Compress("the same words again"u8);
        var second = deflate.Compress("the same words again"u8);

        second.Length.Should().BeLessThan(first.Length, "the second message refers back into the first");
        deflate.Inflate(first).Should().Equal("the same words again"u8.ToArray());
        deflate.Inflate(second).Should().Equal("the same words again"u8.ToArray());
    }
}
