namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>Sequences RFC 3629 allows, at the edges of each length and of the code space.</summary>
    private static readonly (string Name, byte[] Bytes)[] ValidUtf8 =
    [
        ("mixed scripts \"Hello-µ@ßöäüàá-UTF-8!!\"", Utf8Bytes("Hello-µ@ßöäüàá-UTF-8!!")),
        ("Greek κόσμε", [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]),
        ("U+007F, the last 1-byte character", [0x7F]),
        ("U+0080, the first 2-byte character", [0xC2, 0x80]),
        ("U+07FF, the last 2-byte character", [0xDF, 0xBF]),
        ("U+0800, the first 3-byte character", [0xE0, 0xA0, 0x80]),
        ("U+D7FF, just below the surrogates", [0xED, 0x9F, 0xBF]),
        ("U+E000, just above the surrogates", [0xEE, 0x80, 0x80]),
        ("U+FFFE and U+FFFF, noncharacters but valid UTF-8", [0xEF, 0xBF, 0xBE, 0xEF, 0xBF, 0xBF]),
        ("U+10000, the first 4-byte character", [0xF0, 0x90, 0x80, 0x80]),
        ("U+10FFFF, the last code point", [0xF4, 0x8F, 0xBF, 0xBF]),
    ];

    /// <summary>Sequences RFC 3629 forbids; each must close the connection with 1007 (RFC 6455 §8.1).</summary>
    private static readonly (string Name, byte[] Bytes)[] InvalidUtf8 =
    [
        ("a lone continuation byte", [0x61, 0x80, 0x62]),
        ("the byte 0xFE", [0x61, 0xFE]),
        ("the byte 0xFF", [0xFF, 0x61]),
        ("an overlong '/' in two bytes", [0xC0, 0xAF]),
        ("an overlong '/' in three bytes", [0xE0, 0x80, 0xAF]),
        ("an overlong U+FFFF in four bytes", [0xF0, 0x8F, 0xBF, 0xBF]),
        ("the surrogate U+D800", [0xED, 0xA0, 0x80]),
        ("the surrogate pair U+D800 U+DC00 (CESU-8)", [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80]),
        ("U+110000, above the code space", [0xF4, 0x90, 0x80, 0x80]),
        ("a five-byte sequence", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("a two-byte lead followed by ASCII", [0xC3, 0x41]),
        ("κόσμ followed by a cut-off character at the message end", [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE]),
    ];

    /// <summary>
    /// Group 6: text must be UTF-8 (RFC 6455 §5.6); invalid text fails the connection with 1007 (§8.1), detected as
    /// soon as a byte cannot continue any valid sequence — on the fragment it arrives in, not at the message end.
    /// </summary>
    private static IEnumerable<WebSocketCase> Utf8()
    {
        yield return Case("ws/6.1.1", "RFC 6455 §5.6", "an empty text message is echoed", Open,
            Send(ClientFrame.Build(ClientFrame.Text, [])), Echo(ClientFrame.Text, []));
        for (var i = 0; i < ValidUtf8.Length; i++)
        {
            var (name, bytes) = ValidUtf8[i];
            yield return Case($"ws/6.2.{i + 1}", "RFC 6455 §5.6", $"valid UTF-8: {name} is echoed", Open,
                Send(ClientFrame.Build(ClientFrame.Text, bytes)), Echo(ClientFrame.Text, bytes)) with { OverHttp2 = i == 1 };
        }
        var greek = ValidUtf8[1].Bytes;
        yield return Case("ws/6.3.1", "RFC 6455 §5.6", "valid UTF-8 with each byte its own fragment (characters cut everywhere) is echoed", Open,
            Send(Fragmented(ClientFrame.Text, greek, 1)), Echo(ClientFrame.Text, greek));
        byte[] euro = [0xE2, 0x82, 0xAC];
        yield return Case("ws/6.3.2", "RFC 6455 §5.6", "a three-byte character cut by a fragment boundary is valid", Open,
            Send([.. ClientFrame.Build(ClientFrame.Text, euro.AsSpan(0, 1), fin: false), .. ClientFrame.Build(ClientFrame.Continuation, euro.AsSpan(1))]),
            Echo(ClientFrame.Text, euro));
        for (var i = 0; i < InvalidUtf8.Length; i++)
        {
            var (name, bytes) = InvalidUtf8[i];
            yield return Case($"ws/6.4.{i + 1}", "RFC 6455 §8.1", $"invalid UTF-8: {name}", Fails(1007),
                Send(ClientFrame.Build(ClientFrame.Text, bytes))) with { OverHttp2 = i == 0 };
            yield return Case($"ws/6.5.{i + 1}", "RFC 6455 §8.1", $"invalid UTF-8 with each byte its own fragment: {name}", Fails(1007),
                Send(Fragmented(ClientFrame.Text, bytes, 1)));
        }
        // Fail fast: the message never ends, so only a check on the arriving fragment can notice.
        yield return Case("ws/6.6.1", "RFC 6455 §8.1", "fail fast: the first fragment holds U+110000 and the message never finishes", Fails(1007),
            Send(ClientFrame.Build(ClientFrame.Text, [.. greek, 0xF4, 0x90, 0x80, 0x80, .. Utf8Bytes("edited")], fin: false))) with { OverHttp2 = true };
        yield return Case("ws/6.6.2", "RFC 6455 §8.1", "fail fast: a valid fragment, then one with a lone continuation byte, no final fragment", Fails(1007),
            Send([.. ClientFrame.Build(ClientFrame.Text, greek, fin: false), .. ClientFrame.Build(ClientFrame.Continuation, [0x80, 0x61], fin: false)]));
        yield return Case("ws/6.6.3", "RFC 6455 §8.1", "fail fast: a frame whose first bytes are invalid, with the rest of its payload never sent", Fails(1007),
            Send(ClientFrame.Build(ClientFrame.Text, [0xC0, 0xAF, .. TextOf(1000)])[..20]));
        yield return Case("ws/6.6.4", "RFC 6455 §5.6", "a binary message is not checked as UTF-8", Open,
            Send(ClientFrame.Build(ClientFrame.Binary, [0xC0, 0xAF, 0xFF])), Echo(ClientFrame.Binary, [0xC0, 0xAF, 0xFF]));
    }
}
