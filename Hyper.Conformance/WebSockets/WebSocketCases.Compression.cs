namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    private const string Deflate = "permessage-deflate";

    /// <summary>
    /// Groups 12 and 13: permessage-deflate (RFC 7692). 12: compressed messages of every size, fragmented, many in a
    /// row with the context kept, and the frame rules the extension adds (RSV1 only on a message's first frame,
    /// §6.1), compressed data that does not inflate (1007), and the limit applied to the inflated size (1009). 13: the
    /// negotiation (§7.1), each agreement then used for messages whose echo only inflates right if both sides kept to
    /// it (a server that kept its context after agreeing not to would send references the client cannot resolve).
    /// </summary>
    private static IEnumerable<WebSocketCase> Compression()
    {
        var sizes = new[] { 16, 64, 256, 1024, 4096, 65_536, 1024 * 1024 };
        for (var i = 0; i < sizes.Length; i++)
        {
            var text = TextOf(sizes[i]);
            yield return Compressed($"ws/12.1.{i + 1}", $"a compressed text message of {sizes[i]} bytes is echoed compressed", Deflate, Deflate,
                SendCompressed(ClientFrame.Text, text), Echo(ClientFrame.Text, text)) with { OverHttp2 = i == 3, Budget = TimeSpan.FromSeconds(60) };
        }
        var random = BinaryOf(65_536, 7);
        yield return Compressed("ws/12.2.1", "a compressed binary message that does not compress (random bytes) is echoed", Deflate, Deflate,
            SendCompressed(ClientFrame.Binary, random), Echo(ClientFrame.Binary, random));
        var run = Enumerable.Range(0, 200).Select(i => Utf8Bytes($"{{\"seq\":{i},\"text\":\"the same words again and again\"}}")).ToArray();
        yield return Compressed("ws/12.3.1", "200 similar compressed messages with both contexts kept are echoed in order", Deflate, Deflate,
            [.. run.SelectMany(m => new[] { SendCompressed(ClientFrame.Text, m), Echo(ClientFrame.Text, m) })]);
        var fragmented = TextOf(10_000);
        yield return Compressed("ws/12.4.1", "a compressed message in 3 frames, RSV1 on the first only, is echoed", Deflate, Deflate,
            Send(context => FragmentedCompressed(context, ClientFrame.Text, fragmented, 3)), Echo(ClientFrame.Text, fragmented)) with { OverHttp2 = true };
        yield return Compressed("ws/12.4.2", "a compressed message in one-byte frames is echoed", Deflate, Deflate,
            Send(context => FragmentedCompressed(context, ClientFrame.Text, TextOf(300), int.MaxValue)), Echo(ClientFrame.Text, TextOf(300)));
        yield return Compressed("ws/12.4.3", "a Ping between the frames of a compressed message is answered", Deflate, Deflate,
            Send(context =>
            {
                var payload = context.RequireDeflate().Compress(fragmented);
                var half = payload.Length / 2;
                return [.. ClientFrame.Build(ClientFrame.Text, payload.AsSpan(0, half), fin: false, rsv: 4), .. ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("ping")),
                    .. ClientFrame.Build(ClientFrame.Continuation, payload.AsSpan(half))];
            }),
            Pong(Utf8Bytes("ping")), Echo(ClientFrame.Text, fragmented));
        yield return Compressed("ws/12.5.1", "an uncompressed message (RSV1 clear) in a compressed session is echoed", Deflate, Deflate,
            SendText("plain"), EchoText("plain"), SendCompressed(ClientFrame.Text, Utf8Bytes("squeezed")), EchoText("squeezed"));
        yield return Compressed("ws/12.6.1", "RSV1 on a continuation frame", Deflate, Deflate, Fails(1002),
            Send(context =>
            {
                var payload = context.RequireDeflate().Compress(fragmented);
                return [.. ClientFrame.Build(ClientFrame.Text, payload.AsSpan(0, 10), fin: false, rsv: 4), .. ClientFrame.Build(ClientFrame.Continuation, payload.AsSpan(10), rsv: 4)];
            }));
        yield return Compressed("ws/12.6.2", "RSV1 on a Ping", Deflate, Deflate, Fails(1002),
            Send(ClientFrame.Build(ClientFrame.Ping, Utf8Bytes("ping"), rsv: 4)));
        yield return Compressed("ws/12.6.3", "compressed data that is not DEFLATE", Deflate, Deflate, Fails(1007),
            Send(ClientFrame.Build(ClientFrame.Binary, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], rsv: 4)));
        yield return Compressed("ws/12.6.4", "a compressed text message that inflates to invalid UTF-8", Deflate, Deflate, Fails(1007),
            Send(context => ClientFrame.Build(ClientFrame.Text, context.RequireDeflate().Compress([0x61, 0xC0, 0xAF]), rsv: 4)));
        yield return Compressed("ws/12.7.1", "a 16 KiB compressed message that inflates past the 16 MiB limit", Deflate, Deflate, Fails(1009),
            Send(context => ClientFrame.Build(ClientFrame.Binary, context.RequireDeflate().Compress(new byte[WebSocketServerProfiles.MaxMessageSize + 1]), rsv: 4)))
            with { OverHttp2 = true };

        // Group 13: negotiation. A server answers only with parameters it may (RFC 7692 §7.1) and declines what it cannot.
        yield return Compressed("ws/13.1.1", "server_no_context_takeover is agreed; each echo inflates on its own", $"{Deflate}; server_no_context_takeover",
            $"{Deflate}; server_no_context_takeover", [.. run.Take(20).SelectMany(m => new[] { SendCompressed(ClientFrame.Text, m), Echo(ClientFrame.Text, m) })])
            with { OverHttp2 = true };
        yield return Compressed("ws/13.1.2", "client_no_context_takeover is agreed; the client starts afresh each message", $"{Deflate}; client_no_context_takeover",
            $"{Deflate}; client_no_context_takeover", [.. run.Take(20).SelectMany(m => new[] { SendCompressed(ClientFrame.Text, m), Echo(ClientFrame.Text, m) })]);
        yield return Compressed("ws/13.1.3", "both contexts dropped", $"{Deflate}; client_no_context_takeover; server_no_context_takeover",
            $"{Deflate}; client_no_context_takeover; server_no_context_takeover",
            [.. run.Take(20).SelectMany(m => new[] { SendCompressed(ClientFrame.Text, m), Echo(ClientFrame.Text, m) })]);
        var distant = WithRepeatAt(4000);
        foreach (var bits in new[] { 9, 10, 12, 15 })
        {
            yield return Compressed($"ws/13.2.{bits}", $"server_max_window_bits={bits} is agreed and the server's output inflates", $"{Deflate}; server_max_window_bits={bits}",
                $"{Deflate}; server_max_window_bits={bits}", SendCompressed(ClientFrame.Text, distant), Echo(ClientFrame.Text, distant),
                SendCompressed(ClientFrame.Text, distant), Echo(ClientFrame.Text, distant));
        }
        yield return Compressed("ws/13.3.1", "client_max_window_bits without a value: the server may leave it out (the client keeps 15)", $"{Deflate}; client_max_window_bits",
            Deflate, SendCompressed(ClientFrame.Text, distant), Echo(ClientFrame.Text, distant));
        yield return Compressed("ws/13.3.2", "client_max_window_bits=15 is not echoed past what was offered", $"{Deflate}; client_max_window_bits=15",
            Deflate, SendCompressed(ClientFrame.Text, distant), Echo(ClientFrame.Text, distant));
        yield return Compressed("ws/13.4.1", "server_max_window_bits=8 cannot be met (zlib has no 8-bit raw window): declined", $"{Deflate}; server_max_window_bits=8",
            null, SendText("plain"), EchoText("plain"));
        yield return Compressed("ws/13.4.2", "the first offer declined, the second accepted", $"{Deflate}; server_max_window_bits=8, {Deflate}",
            Deflate, SendCompressed(ClientFrame.Text, distant), Echo(ClientFrame.Text, distant));
        yield return Compressed("ws/13.4.3", "an unknown extension is declined", "x-webkit-deflate-frame", null, SendText("plain"), EchoText("plain"));
        yield return Compressed("ws/13.4.4", "an unknown parameter makes the offer declinable (RFC 7692 §5.1)", $"{Deflate}; flavour=mint", null,
            SendText("plain"), EchoText("plain"));
        yield return Compressed("ws/13.4.5", "a parameter given twice makes the offer declinable (RFC 7692 §5.1)",
            $"{Deflate}; server_no_context_takeover; server_no_context_takeover", null, SendText("plain"), EchoText("plain"));
        yield return Compressed("ws/13.4.6", "server_max_window_bits=16 is out of range: declined (RFC 7692 §7.1.2.1)", $"{Deflate}; server_max_window_bits=16",
            null, SendText("plain"), EchoText("plain"));
        yield return Compressed("ws/13.4.7", "a value on server_no_context_takeover is invalid: declined (RFC 7692 §7.1.1.1)", $"{Deflate}; server_no_context_takeover=1",
            null, SendText("plain"), EchoText("plain"));
        yield return new WebSocketCase("ws/13.5.1", "RFC 7692 §7.1.2.1",
            "a server configured for a 9-bit window and no client context says so unasked; messages then flow both ways",
            [.. run.Take(20).Concat([distant]).SelectMany(m => new[] { SendCompressed(ClientFrame.Text, m), Echo(ClientFrame.Text, m) })], Open)
        {
            Profile = WebSocketServerProfile.CompressionSmallWindow,
            ExtensionOffer = $"{Deflate}; client_max_window_bits",
            ExpectedAgreement = $"{Deflate}; server_max_window_bits=9; client_no_context_takeover",
        };
        yield return new WebSocketCase("ws/13.5.2", "RFC 6455 §9.1", "compression is not agreed when the server has it turned off", [SendText("plain"), EchoText("plain")], Open)
        {
            ExtensionOffer = Deflate,
            ExpectedAgreement = null,
        };
    }

    private static WebSocketCase Compressed(string id, string description, string offer, string? agreement, params WebSocketStep[] steps) =>
        Compressed(id, description, offer, agreement, Open, steps);

    private static WebSocketCase Compressed(string id, string description, string offer, string? agreement, WebSocketExpectation expected, params WebSocketStep[] steps) =>
        new(id, id.StartsWith("ws/13", StringComparison.Ordinal) ? "RFC 7692 §7.1" : "RFC 7692 §7.2", description, steps, expected)
        {
            Profile = WebSocketServerProfile.Compression,
            ExtensionOffer = offer,
            ExpectedAgreement = agreement,
        };

    /// <summary>A whole message compressed by the client (RSV1 set, RFC 7692 §6).</summary>
    private static WebSocketStep SendCompressed(int opcode, byte[] message) =>
        Send(context => ClientFrame.Build(opcode, context.RequireDeflate().Compress(message), rsv: 4));

    /// <summary>A compressed message cut into <paramref name="parts"/> frames (or one-byte frames): RSV1 on the first only (RFC 7692 §6.1).</summary>
    private static byte[] FragmentedCompressed(WebSocketCaseContext context, int opcode, byte[] message, int parts)
    {
        var payload = context.RequireDeflate().Compress(message);
        var size = parts == int.MaxValue ? 1 : Math.Max(1, (payload.Length + parts - 1) / parts);
        var frames = new List<byte>();
        for (var at = 0; at < payload.Length; at += size)
        {
            var part = payload.AsSpan(at, Math.Min(size, payload.Length - at));
            frames.AddRange(ClientFrame.Build(at == 0 ? opcode : ClientFrame.Continuation, part, fin: at + size >= payload.Length, rsv: at == 0 ? 4 : 0));
        }
        return [.. frames];
    }

    /// <summary>Text whose second half repeats its first at a distance of <paramref name="distance"/> bytes: past a small window, inside a large one.</summary>
    private static byte[] WithRepeatAt(int distance)
    {
        var half = BinaryOf(distance, 3).Select(b => (byte)('a' + b % 26)).ToArray();
        return [.. half, .. half];
    }
}
