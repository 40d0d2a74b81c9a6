using System.Buffers;
using System.Text;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>RFC 9204 Appendix A, at its edges and where it stops being ordered by name (62/63).</summary>
public sealed class QpackStaticTableTests
{
    [Theory]
    [InlineData(0, ":authority", "")]
    [InlineData(1, ":path", "/")]
    [InlineData(15, ":method", "CONNECT")]
    [InlineData(17, ":method", "GET")]
    [InlineData(25, ":status", "200")]
    [InlineData(52, "content-type", "text/html; charset=utf-8")]
    [InlineData(62, "x-xss-protection", "1; mode=block")]
    [InlineData(63, ":status", "100")]
    [InlineData(85, "content-security-policy", "script-src 'none'; object-src 'none'; base-uri 'none'")]
    [InlineData(98, "x-frame-options", "sameorigin")]
    public void Entries_MatchAppendixA(int index, string name, string value)
    {
        var entry = QpackStaticTable.Get(index);
        Encoding.ASCII.GetString(entry.Name).Should().Be(name);
        Encoding.ASCII.GetString(entry.Value).Should().Be(value);
    }

    [Fact]
    public void EveryEntry_IsFoundAtItsOwnIndex_AndNamesAreLowerCase()
    {
        for (var i = 0; i < QpackStaticTable.Count; i++)
        {
            var entry = QpackStaticTable.Get(i);
            QpackStaticTable.Find(entry.Name, entry.Value, out var exact).Should().Be(i);
            exact.Should().BeTrue();
            Encoding.ASCII.GetString(entry.Name).Should().Be(Encoding.ASCII.GetString(entry.Name).ToLowerInvariant());
        }
    }

    [Fact]
    public void StaticOnlyEncoding_OfAuthority_IsTheRfc7541HuffmanVector()
    {
        // :authority www.example.com: static name reference 0, then the Huffman string of RFC 7541 C.4.1.
        var output = new ArrayBufferWriter<byte>();
        QpackEncoder.WriteSectionPrefix(output);
        QpackEncoder.WriteFieldLine(output, ":authority"u8, "www.example.com"u8);

        Hex.Format(output.WrittenSpan).Should().Be("0000508cf1e3c2e5f23a6ba0ab90f4ff");
    }
}
