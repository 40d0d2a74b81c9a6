using System.Buffers;
using System.Text;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests.Qpack;

/// <summary>Sections encoded against the dynamic table (<see cref="TestDynamicEncoder"/>) decode back to their fields.</summary>
public sealed class DynamicTableRoundTripTests
{
    [Theory]
    [InlineData(1, 4096)]
    [InlineData(2, 220)]
    [InlineData(3, 1024)]
    [InlineData(4, 100)]
    public void RandomFieldSets_RoundTrip_WithInsertsEvictionsAndAcknowledgments(int seed, int capacity)
    {
        var random = new Random(seed);
        var encoderStream = new ArrayBufferWriter<byte>();
        var encoder = new TestDynamicEncoder(capacity, encoderStream);
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = capacity, MaxBlockedStreams = 0 });
        var names = new[] { ":authority", ":path", "user-agent", "cookie", "x-request-id", "accept", "x-custom" };
        var sent = 0;

        for (var stream = 0L; stream < 400; stream += 4)
        {
            var fields = Enumerable.Range(0, random.Next(1, 8))
                .Select(_ => (Encoding.ASCII.GetBytes(names[random.Next(names.Length)]), Encoding.ASCII.GetBytes("v" + random.Next(6))))
                .ToList();
            var section = encoder.EncodeSection(fields);

            // The encoder stream is delivered in random pieces before the section (no blocking allowed here).
            var pending = encoderStream.WrittenSpan[sent..];
            while (!pending.IsEmpty)
            {
                var piece = random.Next(1, pending.Length + 1);
                decoder.ReceiveEncoderStream(pending[..piece]);
                pending = pending[piece..];
            }

            sent = encoderStream.WrittenCount;

            var sink = new RecordingSink();
            decoder.DecodeFieldSection(stream, section, sink).Should().Be(FieldSectionStatus.Decoded);
            sink.Fields.Select(f => Encoding.ASCII.GetString(f.Name) + "=" + Encoding.ASCII.GetString(f.Value))
                .Should().Equal(fields.Select(f => Encoding.ASCII.GetString(f.Item1) + "=" + Encoding.ASCII.GetString(f.Item2)));
            DecoderStream.Flush(decoder);
            decoder.KnownReceivedCount.Should().Be(decoder.InsertCount);
            decoder.DynamicTableSize.Should().BeLessThanOrEqualTo(capacity);
            decoder.DynamicTableRingLength.Should().BeLessThanOrEqualTo(capacity / 32 + 1);
        }

        decoder.InsertCount.Should().BeGreaterThan(10, "the test must exercise the dynamic table");
    }

    [Fact]
    public void PostBaseAndRelativeReferences_InOneSection()
    {
        var encoderStream = new ArrayBufferWriter<byte>();
        var encoder = new TestDynamicEncoder(4096, encoderStream);
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 4096 });
        var first = encoder.EncodeSection([("a"u8.ToArray(), "1"u8.ToArray())]);
        decoder.ReceiveEncoderStream(encoderStream.WrittenSpan);
        decoder.DecodeFieldSection(0, first, new RecordingSink());
        var sent = encoderStream.WrittenCount;

        // "a=1" is below the Base now (relative), "b=2" is inserted for this section (post-Base).
        var second = encoder.EncodeSection([("a"u8.ToArray(), "1"u8.ToArray()), ("b"u8.ToArray(), "2"u8.ToArray())]);
        decoder.ReceiveEncoderStream(encoderStream.WrittenSpan[sent..]);
        var sink = new RecordingSink();
        decoder.DecodeFieldSection(4, second, sink);

        sink.Lines.Should().Equal("a=1", "b=2");
        Hex.Format(second).Should().Be("038080" + "10", "RIC 2 (encoded 3), S=1 Delta 0 → Base 1, relative 0, post-base 0");
        DecoderStream.Flush(decoder).Should().Be("8084", "acknowledgments for streams 0 and 4");
    }

    [Fact]
    public void Duplicate_RefreshesAnOldEntry()
    {
        var encoderStream = new ArrayBufferWriter<byte>();
        var encoder = new TestDynamicEncoder(200, encoderStream);
        var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 200 });
        encoder.EncodeSection([("x-a"u8.ToArray(), "1"u8.ToArray())]);
        encoder.Duplicate("x-a"u8.ToArray(), "1"u8.ToArray()).Should().BeTrue();

        decoder.ReceiveEncoderStream(encoderStream.WrittenSpan);

        decoder.InsertCount.Should().Be(2);
        decoder.GetDynamicEntry(1).Should().BeEquivalentTo(("x-a"u8.ToArray(), "1"u8.ToArray()));
        DecoderStream.Flush(decoder).Should().Be("02", "Insert Count Increment (2): no section acknowledged them");
    }

    [Fact]
    public void NeverIndexedLiterals_KeepTheirBit()
    {
        var encoder = new TestDynamicEncoder(0, new ArrayBufferWriter<byte>());
        var decoder = new QpackDecoder(new QpackDecoderOptions());
        var sink = new RecordingSink();

        decoder.DecodeFieldSection(0, encoder.EncodeSection([("authorization"u8.ToArray(), "secret"u8.ToArray())], neverIndexedLiterals: true), sink);

        sink.Lines.Should().Equal("!authorization=secret");
    }
}
