using System.Buffers;
using System.Text;
using Hyper.Core.Protocols;

namespace Hyper.Http2.Tests;

/// <summary>The HTTP/2 preface matcher Core's cleartext sniff asks (RFC 9113 §3.3, §3.4).</summary>
public sealed class PrefaceSnifferTests
{
    private static PrefaceMatch Match(string text) => PrefaceSniffer.Instance.Match(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void WholePreface_Match() => Match("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").Should().Be(PrefaceMatch.Match);

    [Fact]
    public void PrefaceFollowedByFrames_Match() => Match("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04").Should().Be(PrefaceMatch.Match);

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r")]
    public void StrictPrefix_NeedMoreBytes(string text) => Match(text).Should().Be(PrefaceMatch.NeedMoreBytes);

    [Theory]
    [InlineData("G")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n")]
    [InlineData("PRX")]
    public void FirstDifferingByte_NoMatchAtOnce(string text) => Match(text).Should().Be(PrefaceMatch.NoMatch);

    [Fact]
    public void PrefaceSplitOverSegments_Match()
    {
        var bytes = PrefaceSniffer.Preface.ToArray();
        var first = new Segment(bytes.AsMemory(0, 7));
        var last = first.Append(bytes.AsMemory(7));

        PrefaceSniffer.Classify(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)).Should().Be(PrefaceMatch.Match);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
