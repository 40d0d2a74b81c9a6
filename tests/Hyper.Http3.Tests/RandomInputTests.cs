using Hyper.Http3.Frames;
using Hyper.Http3.Qpack;
using Hyper.Http3.Tests.Support;

namespace Hyper.Http3.Tests;

/// <summary>
/// Seeded random and mutated inputs (a short in-process stand-in for the FZ-03 fuzz run): only the typed errors may
/// escape, and the bounds hold.
/// </summary>
public sealed class RandomInputTests
{
    private static readonly byte[] ValidEncoderStream =
        Hex.Parse("3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468 4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565 02");

    private static readonly byte[][] ValidSections = [Hex.Parse("0000 510b 2f69 6e64 6578 2e68 746d 6c"), Hex.Parse("0381 10 11"), Hex.Parse("0500 80 c1 81")];

    [Fact]
    public void QpackDecoder_RandomAndMutatedInput_OnlyTypedErrors()
    {
        var random = new Random(9204);
        for (var round = 0; round < 20_000; round++)
        {
            var decoder = new QpackDecoder(new QpackDecoderOptions { MaxTableCapacity = 220, MaxBlockedStreams = 4, MaxFieldSectionSize = 2048 });
            try
            {
                decoder.ReceiveEncoderStream(round % 2 == 0 ? Mutate(random, ValidEncoderStream) : RandomBytes(random));
            }
            catch (QpackException e)
            {
                e.ErrorCode.Should().Be(QpackErrorCode.EncoderStreamError);
                continue;
            }

            decoder.DynamicTableSize.Should().BeLessThanOrEqualTo(220);
            for (var stream = 0; stream < 4; stream++)
            {
                var section = round % 3 == 0 ? RandomBytes(random) : Mutate(random, ValidSections[random.Next(ValidSections.Length)]);
                try
                {
                    decoder.DecodeFieldSection(stream * 4, section, new RecordingSink());
                }
                catch (QpackException e)
                {
                    e.ErrorCode.Should().Be(QpackErrorCode.DecompressionFailed);
                    break;
                }
                catch (FieldSectionTooLargeException)
                {
                }
            }

            decoder.ScratchCapacity.Should().BeLessThanOrEqualTo(2048);
        }
    }

    [Fact]
    public void QpackEncoder_RandomDecoderStream_OnlyTypedErrors()
    {
        var random = new Random(4);
        for (var round = 0; round < 20_000; round++)
        {
            try
            {
                new QpackEncoder().ReceiveDecoderStream(RandomBytes(random));
            }
            catch (QpackException e)
            {
                e.ErrorCode.Should().Be(QpackErrorCode.DecoderStreamError);
            }
        }
    }

    [Theory]
    [InlineData(Http3StreamKind.Request)]
    [InlineData(Http3StreamKind.Control)]
    public void FrameReader_RandomInputInRandomPieces_OnlyTypedErrors(Http3StreamKind kind)
    {
        var random = new Random((int)kind + 1);
        var valid = kind == Http3StreamKind.Request
            ? Hex.Parse("01 03 0000d1 21 03 aabbcc 00 05 68656c6c6f 01 02 0000")
            : Hex.Parse("04 02 0110 07 01 04 0d 01 07");
        for (var round = 0; round < 20_000; round++)
        {
            var reader = new Http3FrameReader(kind, new Http3FrameReaderOptions { MaxHeadersPayload = 1024 });
            var input = round % 2 == 0 ? Mutate(random, valid) : RandomBytes(random);
            try
            {
                var rest = input.AsSpan();
                while (!rest.IsEmpty)
                {
                    var piece = rest[..random.Next(1, rest.Length + 1)];
                    rest = rest[piece.Length..];
                    while (true)
                    {
                        var result = reader.Read(piece, out var consumed, out var payload, out _);
                        piece = piece[consumed..];
                        if (result == Http3FrameEventKind.Settings) Http3Settings.Decode(payload);
                        if (result == Http3FrameEventKind.NeedMoreData) break;
                    }
                }

                reader.EndOfStream();
            }
            catch (Http3Exception)
            {
            }

            reader.PayloadCapacity.Should().BeLessThanOrEqualTo(10_000);
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        for (var i = random.Next(1, 4); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length + 1)] : bytes;
    }
}
