using System.Buffers;
using Hyper.Core.Configuration;
using Hyper.Core.WebSockets;
using static Hyper.Core.Tests.WebSockets.WebSocketTestKit;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>
/// RFC 6455 framing through the server-side connection, every input fed whole, byte by byte, as one-byte segments
/// and split at every position. Malformed cases name their attack-catalogue row (WS-01…WS-04) and the Autobahn
/// case group they mirror (1 framing, 2 pings, 3 reserved bits, 4 opcodes, 5 fragmentation).
/// </summary>
public sealed class WebSocketFramingTests
{
    [Fact]
    public void Rfc6455Section57_MaskedHello_IsOneTextMessage()
    {
        byte[] wire = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];

        FeedEverySplit(() => Server(), wire).Should().Equal("text:Hello");
    }

    [Fact]
    public void Rfc6455Section57_MaskedPong_IsAPong()
    {
        byte[] wire = [0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];

        FeedEverySplit(() => Server(), wire).Should().Equal("pong:48656C6C6F");
    }

    [Fact]
    public void Rfc6455Section57_UnmaskedExamples_ReadByAClient()
    {
        // The unmasked examples are server-to-client frames: a client-role reader takes them.
        byte[] hello = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
        byte[] fragmented = [0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f];
        byte[] ping = [0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
        byte[] binary256 = [0x82, 0x7E, 0x01, 0x00, .. new byte[256]];
        byte[] binary64K = [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0, .. new byte[65536]];

        Client(hello).Should().Equal("text:Hello");
        Client(fragmented).Should().Equal("text:Hello");
        Client(ping).Should().Equal("ping:48656C6C6F");
        Client(binary256).Should().Equal("binary:" + new string('0', 512));
        Client(binary64K).Should().Equal("binary:" + new string('0', 131072));

        static List<string> Client(byte[] wire)
        {
            using var connection = new WebSocketConnection(WebSocketRole.Client, new WebSocketLimits(), null, 0);
            return Feed(connection, [wire]);
        }
    }

    [Theory] // Autobahn 1.1.x / 1.2.x: the three length encodings at their edges.
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void PayloadLengths_AtEncodingEdges_RoundTrip(int length)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        var wire = ClientFrame(WebSocketOpcode.Binary, payload);
        using var connection = Server();

        Feed(connection, [wire]).Should().Equal("binary:" + Convert.ToHexString(payload));
    }

    [Fact] // Autobahn 5.6–5.9: a fragmented text message with a ping between its fragments.
    public void FragmentedMessage_WithControlFramesInterleaved_IsAssembled()
    {
        var wire = Concat(
            ClientFrame(WebSocketOpcode.Text, "fragment1", fin: false),
            ClientFrame(WebSocketOpcode.Ping, "ping"),
            ClientFrame(WebSocketOpcode.Continuation, "fragment2", fin: false),
            ClientFrame(WebSocketOpcode.Pong, ""),
            ClientFrame(WebSocketOpcode.Continuation, "fragment3"));

        FeedEverySplit(() => Server(), wire).Should().Equal("ping:70696E67", "pong:", "text:fragment1fragment2fragment3");
    }

    [Fact]
    public void StreamedFragments_AreGivenPerFrame()
    {
        var wire = Concat(ClientFrame(WebSocketOpcode.Binary, [1, 2], fin: false), ClientFrame(WebSocketOpcode.Continuation, [3]));

        FeedEverySplit(() => Server(streamFragments: true), wire).Should().Equal("fragment:binary:0102:more", "fragment:binary:03:end");
    }

    [Fact] // WS-04, Autobahn 1.x: RFC 6455 §5.1, a client frame must be masked.
    public void WS04_UnmaskedClientFrame_Fails1002()
    {
        byte[] wire = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];

        FeedEverySplit(() => Server(), wire).Should().Equal("closed:1002");
    }

    [Theory] // WS-04, Autobahn 3.1–3.7: RSV bits without a negotiated extension, on data and control frames.
    [InlineData(0x40, WebSocketOpcode.Text)]
    [InlineData(0x20, WebSocketOpcode.Text)]
    [InlineData(0x10, WebSocketOpcode.Binary)]
    [InlineData(0x70, WebSocketOpcode.Ping)]
    [InlineData(0x40, WebSocketOpcode.Close)]
    public void WS04_ReservedBitsWithoutExtension_Fail1002(byte rsv, WebSocketOpcode opcode)
    {
        var frame = ClientFrame(opcode, "x"u8.ToArray());
        frame[0] |= rsv;
        // Autobahn 3.2: a valid message before the bad frame is still delivered.
        var wire = Concat(ClientFrame(WebSocketOpcode.Text, "ok"), frame, ClientFrame(WebSocketOpcode.Text, "never"));

        var events = FeedEverySplit(() => Server(), wire);

        events.Should().Equal("text:ok", "closed:1002");
    }

    [Theory] // WS-04, Autobahn 4.1.x / 4.2.x: reserved data opcodes 3–7 and control opcodes B–F.
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(0xB)]
    [InlineData(0xC)]
    [InlineData(0xD)]
    [InlineData(0xE)]
    [InlineData(0xF)]
    public void WS04_ReservedOpcode_Fails1002(int opcode)
    {
        var wire = Concat(ClientFrame(WebSocketOpcode.Text, "ok"), ClientFrame((WebSocketOpcode)opcode, "payload"u8.ToArray()));

        FeedEverySplit(() => Server(), wire).Should().Equal("text:ok", "closed:1002");
    }

    [Fact] // WS-04, Autobahn 5.9: continuation frame with nothing to continue.
    public void WS04_ContinuationWithoutStart_Fails1002()
    {
        FeedEverySplit(() => Server(), ClientFrame(WebSocketOpcode.Continuation, "x")).Should().Equal("closed:1002");
    }

    [Fact] // WS-04, Autobahn 5.18: a new data frame inside a fragmented message.
    public void WS04_DataFrameInsideFragmentedMessage_Fails1002()
    {
        var wire = Concat(ClientFrame(WebSocketOpcode.Text, "a", fin: false), ClientFrame(WebSocketOpcode.Text, "b"));

        FeedEverySplit(() => Server(), wire).Should().Equal("closed:1002");
    }

    [Fact] // WS-03, Autobahn 2.5: a control frame over 125 bytes.
    public void WS03_PingOf126Bytes_Fails1002()
    {
        FeedEverySplit(() => Server(), ClientFrame(WebSocketOpcode.Ping, new byte[126])).Should().Equal("closed:1002");
    }

    [Fact] // WS-03, Autobahn 5.1/5.2: a fragmented control frame.
    public void WS03_FragmentedPing_Fails1002()
    {
        var wire = Concat(ClientFrame(WebSocketOpcode.Ping, "a"u8.ToArray(), fin: false), ClientFrame(WebSocketOpcode.Continuation, "b"u8.ToArray()));

        FeedEverySplit(() => Server(), wire).Should().Equal("closed:1002");
    }

    [Fact] // WS-03: a ping flood that is never drained leaves one pending pong, for the latest ping.
    public void WS03_PingFloodWithoutWriting_KeepsOnlyTheLatestPong()
    {
        using var connection = Server();
        for (var i = 0; i < 100_000; i++)
        {
            connection.Receive(new ReadOnlySequence<byte>(ClientFrame(WebSocketOpcode.Ping, BitConverter.GetBytes(i))), 0);
            while (connection.TryDequeueEvent(out _)) { }
        }

        Output(connection).Should().Equal("Pong:" + Convert.ToHexString(BitConverter.GetBytes(99_999)));
        connection.HasPendingOutput.Should().BeFalse();
    }

    [Theory] // Autobahn 2.1–2.4: a Ping (empty, text, binary, 125 bytes) is answered by a Pong with its payload.
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(125)]
    public void Ping_IsAnsweredWithItsPayload(int length)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)(255 - i)).ToArray();
        using var connection = Server();

        Feed(connection, [ClientFrame(WebSocketOpcode.Ping, payload)]).Should().Equal("ping:" + Convert.ToHexString(payload));
        Output(connection).Should().Equal("Pong:" + Convert.ToHexString(payload));
    }

    [Fact] // Autobahn 2.10 (non-strict): pings drained between reads are each answered, in order.
    public void PingsDrainedBetweenReads_AreEachAnswered()
    {
        using var connection = Server();
        var pongs = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            Feed(connection, [ClientFrame(WebSocketOpcode.Ping, [(byte)i])]);
            pongs.AddRange(Output(connection));
        }

        pongs.Should().Equal(Enumerable.Range(0, 10).Select(i => $"Pong:{i:X2}"));
    }

    [Fact] // WS-01: RFC 6455 §5.2, the most significant bit of a 64-bit length must be 0.
    public void WS01_64BitLengthWithTopBitSet_Fails1002()
    {
        byte[] wire = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];

        FeedEverySplit(() => Server(), wire).Should().Equal("closed:1002");
    }

    [Fact] // WS-01: a 2^62 length is refused on the header, before any payload is buffered.
    public void WS01_LengthOf2Pow62_Fails1009OnTheHeader()
    {
        byte[] wire = [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];

        FeedEverySplit(() => Server(), wire).Should().Equal("closed:1009");
    }

    [Fact] // WS-01: a 17 MiB frame against the 16 MiB default fails on its header (no payload sent at all).
    public void WS01_17MiBFrame_Fails1009BeforeItsPayload()
    {
        byte[] header = [0x82, 0xFF, 0, 0, 0, 0, 0x01, 0x10, 0, 0, 1, 2, 3, 4];
        using var connection = Server();

        Feed(connection, [header]).Should().Equal("closed:1009");
        Output(connection).Should().Equal("Close:03F1");
    }

    [Fact] // WS-01: fragments that sum past the limit fail on the header of the fragment that crosses it.
    public void WS01_FragmentsSummingPastTheLimit_Fail1009()
    {
        var limits = new WebSocketLimits { MaxMessageSize = 10 };
        var wire = Concat(ClientFrame(WebSocketOpcode.Binary, new byte[6], fin: false), ClientFrame(WebSocketOpcode.Continuation, new byte[5]));

        FeedEverySplit(() => Server(limits), wire).Should().Equal("closed:1009");
        // Exactly at the limit is fine.
        FeedEverySplit(() => Server(limits), Concat(ClientFrame(WebSocketOpcode.Binary, new byte[6], fin: false),
            ClientFrame(WebSocketOpcode.Continuation, new byte[4]))).Should().Equal("binary:" + new string('0', 20));
    }

    [Fact] // WS-02: a flood of empty continuation frames is stopped (1008) after the configured count.
    public void WS02_EmptyContinuationFlood_Fails1008()
    {
        var empty = ClientFrame(WebSocketOpcode.Continuation, [], fin: false);
        var wire = Concat([ClientFrame(WebSocketOpcode.Binary, [], fin: false), .. Enumerable.Repeat(empty, 100)]);
        using var connection = Server();

        Feed(connection, [wire]).Should().Equal("closed:1008");
    }

    [Fact] // WS-02: a million empty continuations cost O(1) each and are refused quickly.
    public void WS02_MillionEmptyContinuations_ClosedQuickly()
    {
        var empty = ClientFrame(WebSocketOpcode.Continuation, [], fin: false);
        var wire = new byte[empty.Length * 1_000_000 + 6];
        ClientFrame(WebSocketOpcode.Binary, [], fin: false).CopyTo(wire, 0);
        for (var i = 0; i < 1_000_000; i++) empty.CopyTo(wire, 6 + i * empty.Length);
        using var connection = Server(new WebSocketLimits { MaxEmptyFragments = int.MaxValue });
        var started = System.Diagnostics.Stopwatch.StartNew();

        Feed(connection, [wire]).Should().BeEmpty("a million empty fragments are legal under this limit, and cheap");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        Feed(connection, [ClientFrame(WebSocketOpcode.Continuation, [7])]).Should().Equal("binary:07");
    }

    [Fact]
    public void BytesAfterAFailure_AreIgnored()
    {
        using var connection = Server();
        Feed(connection, [ClientFrame(WebSocketOpcode.Continuation, "x")]).Should().Equal("closed:1002");

        Feed(connection, [ClientFrame(WebSocketOpcode.Text, "late")]).Should().BeEmpty();
        connection.State.Should().Be(WebSocketConnectionState.Closed);
        Output(connection).Should().Equal("Close:03EA");
    }
}
