using System.Buffers;
using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

/// <summary>Encoder output fed to the decoder, over many blocks sharing one context, with table size changes.</summary>
public sealed class HpackRoundTripTests
{
    private static readonly string[] Names =
        ["content-type", "server", "date", "cache-control", "x-request-id", "vary", "content-length", "set-cookie", "x-custom", "location"];

    private static List<(string Name, string Value, bool Sensitive)> RandomHeaders(Random random)
    {
        var fields = new List<(string, string, bool)>();
        var count = random.Next(0, 20);
        for (var i = 0; i < count; i++)
        {
            var name = Names[random.Next(Names.Length)];
            var value = random.Next(4) switch
            {
                0 => "text/html",
                1 => $"v{random.Next(10)}",
                2 => new string('x', random.Next(0, 400)),
                _ => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())),
            };
            fields.Add((name, value, random.Next(10) == 0));
        }

        return fields;
    }

    private static void AssertRoundTrip(HpackEncoder encoder, HpackDecoder decoder, int status, List<(string Name, string Value, bool Sensitive)> fields)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        encoder.EncodeStatus(status, output);
        foreach (var (name, value, sensitive) in fields)
        {
            encoder.Encode(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), sensitive, output);
        }

        var sink = new RecordingHeaderSink();
        decoder.Decode(output.WrittenSpan, sink);

        var expected = new List<(string, string, bool)> { (":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture), false) };
        expected.AddRange(fields.Select(f => (f.Name, f.Value, f.Sensitive || f.Name == "set-cookie")));
        sink.Fields.Should().Equal(expected);
        decoder.DynamicTableSize.Should().Be(encoder.DynamicTableSize, "both sides keep the same table");
        decoder.DynamicTableCount.Should().Be(encoder.DynamicTableCount);
    }

    [Fact]
    public void RoundTrip_ManyBlocksInOneContext_ReproducesEveryList()
    {
        var random = new Random(9113);
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder(maxFieldCount: 1000);
        int[] statuses = [200, 204, 301, 302, 404, 418, 500, 503];

        for (var block = 0; block < 500; block++)
        {
            AssertRoundTrip(encoder, decoder, statuses[random.Next(statuses.Length)], RandomHeaders(random));
        }
    }

    [Theory]
    [Trait("rfc", "7541-4.2")]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(4096)]
    public void RoundTrip_WithTableSizeChangesBetweenBlocks_StaysInStep(int size)
    {
        var random = new Random(size);
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder(maxFieldCount: 1000);

        for (var block = 0; block < 200; block++)
        {
            if (block % 20 == 10)
            {
                // The decoder's SETTINGS_HEADER_TABLE_SIZE changes and is acknowledged; the encoder learns it.
                var advertised = block % 40 == 10 ? size : 4096;
                decoder.MaxDynamicTableSize = advertised;
                encoder.SetPeerMaxTableSize(advertised);
            }

            AssertRoundTrip(encoder, decoder, 200, RandomHeaders(random));
        }
    }

    [Fact]
    [Trait("rfc", "7541-4.2")]
    public void RoundTrip_PeerLowersThenRaisesBeforeNextBlock_DecoderAcceptsBothUpdates()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder();
        AssertRoundTrip(encoder, decoder, 200, [("server", "hyper", false)]);

        decoder.MaxDynamicTableSize = 0;
        encoder.SetPeerMaxTableSize(0);
        decoder.MaxDynamicTableSize = 4096;
        encoder.SetPeerMaxTableSize(4096);

        AssertRoundTrip(encoder, decoder, 200, [("server", "hyper", false)]);
        decoder.DynamicTableCount.Should().Be(1, "the table was flushed, then server re-inserted");
    }

    [Fact]
    public void RoundTrip_EveryOctetInValues_Survives()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder();
        var value = new byte[256];
        for (var i = 0; i < value.Length; i++) value[i] = (byte)i;
        var output = new ArrayBufferWriter<byte>();

        encoder.BeginBlock(output);
        encoder.Encode("x-binary"u8, value, false, output);
        var sink = new RecordingHeaderSink();
        decoder.Decode(output.WrittenSpan, sink);

        sink.Fields.Should().ContainSingle().Which.Value.Should().Be(Encoding.Latin1.GetString(value));
    }
}
