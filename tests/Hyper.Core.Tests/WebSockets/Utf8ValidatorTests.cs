using System.Text;
using System.Text.Unicode;
using Hyper.Core.WebSockets;
using static Hyper.Core.Tests.WebSockets.WebSocketTestKit;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>
/// WS-06 / Autobahn group 6: UTF-8 validation of text, incremental and fail-fast. The stress vectors are Markus
/// Kuhn's (boundary code points, stray continuations, incomplete sequences, impossible bytes, overlongs,
/// surrogates), generated here from their definitions.
/// </summary>
public sealed class Utf8ValidatorTests
{
    public static TheoryData<string, string> KuhnValid() => new()
    {
        { "1-byte max", "7F" },
        { "2-byte min", "C280" },
        { "2-byte max", "DFBF" },
        { "3-byte min", "E0A080" },
        { "before surrogates", "ED9FBF" },
        { "after surrogates", "EE8080" },
        { "U+FFFD", "EFBFBD" },
        { "U+FFFF (noncharacter, still valid)", "EFBFBF" },
        { "4-byte min", "F0908080" },
        { "U+10FFFF", "F48FBFBF" },
        { "kosme", "CEBAE1BDB9CF83CEBCCEB5" },
        { "empty", "" },
    };

    public static TheoryData<string, string, int> KuhnInvalid() => new()
    {
        // name, bytes, index of the first byte at which the text can no longer be valid
        { "stray continuation 80", "80", 0 },
        { "stray continuation BF", "41BF", 1 },
        { "overlong slash 2-byte", "C0AF", 0 },
        { "overlong slash 3-byte", "E080AF", 1 },
        { "overlong slash 4-byte", "F08080AF", 1 },
        { "overlong max 2-byte", "C1BF", 0 },
        { "overlong max 3-byte", "E09FBF", 1 },
        { "overlong max 4-byte", "F08FBFBF", 1 },
        { "5-byte form", "F888808080", 0 },
        { "6-byte form", "FC8480808080", 0 },
        { "impossible FE", "FE", 0 },
        { "impossible FF", "FF", 0 },
        { "high surrogate D800", "EDA080", 1 },
        { "low surrogate DFFF", "EDBFBF", 1 },
        { "surrogate pair", "EDA080EDB080", 1 },
        { "above U+10FFFF", "F4908080", 1 },
        { "lead F5", "F5808080", 0 },
        { "lead then ASCII", "C241", 1 },
        { "3-byte lead then ASCII", "E08041", 1 },
        { "kosme then F4 90 (Autobahn 6.4.1)", "CEBAE1BDB9CF83CEBCCEB5F4908080656469746564", 12 },
        { "kosme then ED A0 (Autobahn 6.4.2)", "CEBAE1BDB9CF83CEBCCEB5EDA080656469746564", 12 },
    };

    [Theory, MemberData(nameof(KuhnValid))]
    public void KuhnValidVectors_AreAccepted_InEverySplit(string name, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var validator = default(Utf8Validator);
            validator.Feed(bytes.AsSpan(0, split)).Should().BeTrue(name);
            validator.Feed(bytes.AsSpan(split)).Should().BeTrue(name);
            validator.IsComplete.Should().BeTrue(name);
        }
    }

    [Theory, MemberData(nameof(KuhnInvalid))]
    public void KuhnInvalidVectors_FailAtTheFirstImpossibleByte(string name, string hex, int failIndex)
    {
        var bytes = Convert.FromHexString(hex);
        var validator = default(Utf8Validator);
        var failedAt = -1;
        for (var i = 0; i < bytes.Length && failedAt < 0; i++)
        {
            if (!validator.Feed(bytes.AsSpan(i, 1))) failedAt = i;
        }

        failedAt.Should().Be(failIndex, name);
    }

    [Theory, MemberData(nameof(KuhnInvalid))]
    public void KuhnInvalidVectors_FailInEverySplit(string name, string hex, int failIndex)
    {
        _ = failIndex;
        var bytes = Convert.FromHexString(hex);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var validator = default(Utf8Validator);
            var ok = validator.Feed(bytes.AsSpan(0, split)) && validator.Feed(bytes.AsSpan(split)) && validator.IsComplete;
            ok.Should().BeFalse($"{name} split at {split}");
        }
    }

    [Theory] // Truncated sequences: valid so far, but a message may not end there.
    [InlineData("C2")]
    [InlineData("E0A0")]
    [InlineData("F09080")]
    [InlineData("41F4")]
    public void TruncatedSequence_IsIncompleteAtTheEnd(string hex)
    {
        var validator = default(Utf8Validator);

        validator.Feed(Convert.FromHexString(hex)).Should().BeTrue();
        validator.IsComplete.Should().BeFalse();
    }

    [Fact] // Every 1- and 2-byte sequence, every 3-byte one with a lead byte, and a sample of 4-byte ones agree with the runtime's validator.
    public void AgreesWithTheRuntime_OnEveryShortSequence()
    {
        var buffer = new byte[4];
        for (var value = 0; value < 1 << 16; value++)
        {
            buffer[0] = (byte)value;
            buffer[1] = (byte)(value >> 8);
            Check(buffer.AsSpan(0, 1));
            Check(buffer.AsSpan(0, 2));
        }
        // Three bytes: every sequence that starts with a lead byte (C0..FF); the rest fail on byte one either way.
        for (var value = 0; value < 64 << 16; value++)
        {
            buffer[0] = (byte)(0xC0 + (value >> 16));
            buffer[1] = (byte)(value >> 8);
            buffer[2] = (byte)value;
            Check(buffer.AsSpan(0, 3));
        }
        var random = new Random(6455);
        for (var n = 0; n < 200_000; n++)
        {
            random.NextBytes(buffer);
            buffer[0] = (byte)(0xF0 | (buffer[0] & 0x07));
            Check(buffer);
        }

        static void Check(ReadOnlySpan<byte> bytes)
        {
            var validator = default(Utf8Validator);
            var ours = validator.Feed(bytes) && validator.IsComplete;
            if (ours != Utf8.IsValid(bytes)) throw new Xunit.Sdk.XunitException($"Disagrees with the runtime on {Convert.ToHexString(bytes)}");
        }
    }

    [Fact] // WS-06, Autobahn 6.4.x: the connection fails before the rest of the message arrives.
    public void WS06_InvalidTextFailsFast_BeforeTheMessageEnds()
    {
        using var connection = Server();
        var first = ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("CEBAE1BDB9CF83CEBCCEB5"), fin: false);
        var bad = ClientFrame(WebSocketOpcode.Continuation, Convert.FromHexString("F490"), fin: false);

        Feed(connection, [first]).Should().BeEmpty();
        Feed(connection, [bad]).Should().Equal("closed:1007");
        Output(connection).Should().Equal("Close:03EF");
    }

    [Fact] // WS-06, Autobahn 6.2.x: valid text split inside a character across fragments.
    public void WS06_CharacterSplitAcrossFragments_IsValid()
    {
        var text = Encoding.UTF8.GetBytes("Hello-µ@ßöäüàá-UTF-8!!");
        for (var cut = 1; cut < text.Length; cut++)
        {
            var wire = Concat(ClientFrame(WebSocketOpcode.Text, text.AsSpan(0, cut), fin: false),
                ClientFrame(WebSocketOpcode.Continuation, text.AsSpan(cut)));
            using var connection = Server();

            Feed(connection, [wire]).Should().Equal("text:Hello-µ@ßöäüàá-UTF-8!!");
        }
    }

    [Fact] // WS-06: a message that ends inside a character is invalid.
    public void WS06_MessageEndingMidCharacter_Fails1007()
    {
        FeedEverySplit(() => Server(), ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("41E282"))).Should().Equal("closed:1007");
    }

    [Theory, MemberData(nameof(KuhnInvalid))] // WS-06: each stress vector as a text message, in every split.
    public void WS06_KuhnInvalidVectorsInAMessage_Fail1007(string name, string hex, int failIndex)
    {
        _ = failIndex;
        FeedEverySplit(() => Server(), ClientFrame(WebSocketOpcode.Text, Convert.FromHexString(hex))).Should().Equal(["closed:1007"], name);
    }
}
