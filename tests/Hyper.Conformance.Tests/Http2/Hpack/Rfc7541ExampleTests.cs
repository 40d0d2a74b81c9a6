using System.Buffers;
using System.Text;
using Hyper.Conformance.Http2.Hpack;
using Hyper.Http2.Hpack;

namespace Hyper.Conformance.Tests.Http2.Hpack;

/// <summary>RFC 7541 Appendix C, decoded as printed and round-tripped through our encoder.</summary>
public sealed class Rfc7541ExampleTests
{
    public static TheoryData<string> Sections()
    {
        var data = new TheoryData<string>();
        foreach (var example in Rfc7541Examples.All) data.Add(example.Section);
        return data;
    }

    private static HpackExample Example(string section) => Rfc7541Examples.All.Single(e => e.Section == section);

    [Theory]
    [Trait("rfc", "7541-C")]
    [MemberData(nameof(Sections))]
    public void Decode_AppendixCExample_YieldsListsAndTableSizes(string section)
    {
        HpackConformanceRunner.Decode(Example(section)).Should().BeEmpty();
    }

    [Theory]
    [Trait("rfc", "7541-C")]
    [MemberData(nameof(Sections))]
    public void RoundTrip_AppendixCExample_ReproducesLists(string section)
    {
        HpackConformanceRunner.RoundTrip(Example(section)).Should().BeEmpty();
    }

    [Fact]
    [Trait("rfc", "7541-C.4")]
    public void Encode_C4Requests_MatchTheRfcOctetForOctet()
    {
        // Our strategy makes the same choices as C.4 (static matches, incremental indexing, Huffman when shorter).
        var encoder = new HpackEncoder();
        foreach (var block in Rfc7541Examples.RequestsWithHuffman.Blocks)
        {
            Encode(encoder, block).Should().Be(Convert.ToHexStringLower(block.Wire), block.Section);
        }
    }

    [Fact]
    [Trait("rfc", "7541-C.6")]
    public void Encode_C6Responses_MatchTheRfcAfterTheSizeUpdate()
    {
        // C.6 assumes a 256-octet table without showing the size update that RFC 7541 §4.2 requires. In C.6.2 "307"
        // is as long in Huffman as raw, and we keep it raw, which is exactly C.5.2. C.6.3 differs further because we
        // never index set-cookie (§7.1.3).
        var encoder = new HpackEncoder();
        encoder.SetPeerMaxTableSize(256);
        var blocks = Rfc7541Examples.ResponsesWithHuffman.Blocks;

        Encode(encoder, blocks[0]).Should().Be("3fe101" + Convert.ToHexStringLower(blocks[0].Wire));
        Encode(encoder, blocks[1]).Should().Be(Convert.ToHexStringLower(Rfc7541Examples.ResponsesWithoutHuffman.Blocks[1].Wire));
    }

    private static string Encode(HpackEncoder encoder, HpackExampleBlock block)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        foreach (var header in block.Headers)
        {
            encoder.Encode(Encoding.ASCII.GetBytes(header.Name), Encoding.ASCII.GetBytes(header.Value), false, output);
        }

        return Convert.ToHexStringLower(output.WrittenSpan);
    }
}
