using Hyper.Core.WebSockets;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>RFC 6455 §5.3 masking: the vectorised paths agree with the byte-wise definition at every length and offset.</summary>
public sealed class WebSocketMaskTests
{
    [Fact]
    public void Apply_MatchesTheDefinition_ForEveryLengthAndOffset()
    {
        var random = new Random(5);
        const uint key = 0x3D21FA37;
        byte[] keyBytes = [0x37, 0xFA, 0x21, 0x3D];
        for (var length = 0; length <= 200; length++)
        {
            for (var offset = 0; offset < 4; offset++)
            {
                var data = new byte[length];
                random.NextBytes(data);
                var expected = data.Select((b, i) => (byte)(b ^ keyBytes[(i + offset) & 3])).ToArray();

                var next = WebSocketMask.Apply(data, key, offset);

                data.Should().Equal(expected, $"length {length}, offset {offset}");
                next.Should().Be((offset + length) & 3);
            }
        }
    }

    [Fact]
    public void Apply_InPieces_EqualsApplyWhole()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var whole = data.ToArray();
        WebSocketMask.Apply(whole, 0xDEADBEEF, 0);

        var offset = 0;
        foreach (var (start, length) in new[] { (0, 3), (3, 1), (4, 77), (81, 500), (581, 419) })
            offset = WebSocketMask.Apply(data.AsSpan(start, length), 0xDEADBEEF, offset);

        data.Should().Equal(whole);
    }
}
