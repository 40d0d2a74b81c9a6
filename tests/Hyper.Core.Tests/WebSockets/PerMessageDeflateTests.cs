using System.Buffers;
using System.Text;
using Hyper.Core.Configuration;
using Hyper.Core.WebSockets;
using static Hyper.Core.Tests.WebSockets.WebSocketTestKit;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>
/// RFC 7692 permessage-deflate: the §7.2.3 examples, compression with and without context takeover, the size
/// limit on inflated bytes (WS-05), and round trips under every negotiated window and takeover combination
/// (Autobahn 12 and 13, WS-10).
/// </summary>
public sealed class PerMessageDeflateTests
{
    private static readonly PerMessageDeflateParameters Default = new(false, false, 15, 15, false, false);

    private static WebSocketConnection CompressedServer(long maxMessageSize = 16 * 1024 * 1024) =>
        Server(new WebSocketLimits { MaxMessageSize = maxMessageSize, Compression = true }, Default);

    [Fact] // RFC 7692 §7.2.3.1: "Hello" in one compressed frame, and in two fragments.
    public void Rfc7692_CompressedHello_Inflates()
    {
        var single = ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("F248CDC9C90700"), rsv1: true);
        var fragmented = Concat(ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("F248CD"), fin: false, rsv1: true),
            ClientFrame(WebSocketOpcode.Continuation, Convert.FromHexString("C9C90700")));

        FeedEverySplit(() => CompressedServer(), single).Should().Equal("text:Hello");
        FeedEverySplit(() => CompressedServer(), fragmented).Should().Equal("text:Hello");
    }

    [Fact] // RFC 7692 §7.2.3.2: the second "Hello" refers back into the first message's window.
    public void Rfc7692_SharedWindow_SecondMessageUsesTheFirst()
    {
        var wire = Concat(ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("F248CDC9C90700"), rsv1: true),
            ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("F200110000"), rsv1: true));

        FeedEverySplit(() => CompressedServer(), wire).Should().Equal("text:Hello", "text:Hello");
    }

    [Theory] // RFC 7692 §7.2.3.3 stored block, §7.2.3.4 BFINAL block, §7.2.3.5 two blocks.
    [InlineData("0005 00FAFF 48656C6C6F 00")]
    [InlineData("F348CDC9C9070000")]
    [InlineData("F24805000000FFFFCAC9C90700")]
    public void Rfc7692_OtherEncodingsOfHello_Inflate(string hex)
    {
        var wire = ClientFrame(WebSocketOpcode.Text, Convert.FromHexString(hex.Replace(" ", "")), rsv1: true);

        // Twice in a row: after a BFINAL block the next message starts a new deflate stream.
        FeedEverySplit(() => CompressedServer(), Concat(wire, wire)).Should().Equal("text:Hello", "text:Hello");
    }

    [Fact] // RFC 7692 §7.2.3.1/§7.2.3.2: our compressor produces the RFC's bytes, with and without context takeover.
    public void Deflater_ProducesTheRfcBytes()
    {
        using (var takeover = new PerMessageDeflater(15, noContextTakeover: false))
        {
            Convert.ToHexString(takeover.Compress("Hello"u8, true)).Should().Be("F248CDC9C90700");
            Convert.ToHexString(takeover.Compress("Hello"u8, true)).Should().Be("F200110000");
        }
        using var noTakeover = new PerMessageDeflater(15, noContextTakeover: true);
        Convert.ToHexString(noTakeover.Compress("Hello"u8, true)).Should().Be("F248CDC9C90700");
        Convert.ToHexString(noTakeover.Compress("Hello"u8, true)).Should().Be("F248CDC9C90700");
        Convert.ToHexString(noTakeover.Compress([], true)).Should().Be("00", "RFC 7692 §7.2.3.6: an empty message");
    }

    [Fact] // RFC 7692 §6: RSV1 is for the first frame of a message only.
    public void Rsv1OnAContinuationOrControlFrame_Fails1002()
    {
        var continuation = Concat(ClientFrame(WebSocketOpcode.Text, Convert.FromHexString("F248CD"), fin: false, rsv1: true),
            ClientFrame(WebSocketOpcode.Continuation, Convert.FromHexString("C9C90700"), rsv1: true));

        FeedEverySplit(() => CompressedServer(), continuation).Should().Equal("closed:1002");
        FeedEverySplit(() => CompressedServer(), ClientFrame(WebSocketOpcode.Ping, [], rsv1: true)).Should().Equal("closed:1002");
    }

    [Fact]
    public void CorruptCompressedData_Fails1007()
    {
        FeedEverySplit(() => CompressedServer(), ClientFrame(WebSocketOpcode.Binary, [0xFF, 0xFF, 0xFF], rsv1: true)).Should().Equal("closed:1007");
    }

    [Fact] // WS-05: a message exactly at the limit inflates; one byte more fails 1009.
    public void WS05_InflatedSizeAtTheLimit_PassesAndOneMoreFails1009()
    {
        const int limit = 1024 * 1024;

        using (var atLimit = CompressedServer(limit))
            Feed(atLimit, [CompressedZeros(limit)]).Should().Equal("binary:" + new string('0', 2 * limit));
        using var overLimit = CompressedServer(limit);
        Feed(overLimit, [CompressedZeros(limit + 1)]).Should().Equal("closed:1009");
        Output(overLimit).Should().Equal("Close:03F1");

        static byte[] CompressedZeros(int size)
        {
            using var deflater = new PerMessageDeflater(15, noContextTakeover: true);
            return ClientFrame(WebSocketOpcode.Binary, deflater.Compress(new byte[size], true), rsv1: true);
        }
    }

    [Fact] // A message at the limit that does not compress is a little larger compressed: DEFLATE's framing is not refused.
    public void IncompressibleMessageAtTheLimit_IsAccepted()
    {
        const int limit = 256 * 1024;
        var data = new byte[limit];
        new Random(7).NextBytes(data);
        using var deflater = new PerMessageDeflater(15, noContextTakeover: true);
        var compressed = deflater.Compress(data, true).ToArray();
        compressed.Length.Should().BeGreaterThan(limit, "random bytes do not compress");

        using var server = CompressedServer(limit);
        var events = Feed(server, [ClientFrame(WebSocketOpcode.Binary, compressed, rsv1: true)]);

        events.Should().ContainSingle().Which.Should().StartWith("binary:").And.HaveLength("binary:".Length + 2 * limit);
    }

    [Fact] // WS-05: 4 GiB of zeros in 4 MB of deflate is stopped at the 16 MiB limit, memory growth < 20 MiB.
    public void WS05_FourGiBBomb_Fails1009WithBoundedMemory()
    {
        // With context takeover every further MiB of zeros compresses to the same bytes, so the bomb is built
        // from one chunk repeated instead of compressing 4 GiB.
        var oneMiB = new byte[1024 * 1024];
        using var deflater = new PerMessageDeflater(15, noContextTakeover: false);
        var first = deflater.Compress(oneMiB, endOfMessage: false).ToArray();
        var repeat = deflater.Compress(oneMiB, endOfMessage: false).ToArray();
        deflater.Compress(oneMiB, endOfMessage: false).ToArray().Should().Equal(repeat, "the bomb's chunks repeat");
        var bomb = new byte[first.Length + repeat.Length * 4095];
        first.CopyTo(bomb, 0);
        for (var i = 0; i < 4095; i++) repeat.CopyTo(bomb, first.Length + i * repeat.Length);
        bomb.Length.Should().BeLessThan(8 * 1024 * 1024);

        // Sanity: a prefix of the bomb really inflates to whole MiBs of zeros.
        using (var inflater = new PerMessageInflater(15, false, long.MaxValue))
        {
            var sink = new ArrayBufferWriter<byte>();
            inflater.Inflate(bomb.AsSpan(0, first.Length + repeat.Length * 7), sink);
            sink.WrittenCount.Should().Be(8 * oneMiB.Length);
        }

        var header = Convert.FromHexString("C2FF" + ((long)bomb.Length).ToString("X16") + "00000000");
        using var connection = Server(new WebSocketLimits { Compression = true }, Default);
        connection.Receive(new ReadOnlySequence<byte>(header), 0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var offset = 0; offset < bomb.Length && connection.State == WebSocketConnectionState.Open; offset += 64 * 1024)
            connection.Receive(new ReadOnlySequence<byte>(bomb.AsMemory(offset, Math.Min(64 * 1024, bomb.Length - offset))), 0);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Drain(connection).Should().Equal("closed:1009");
        allocated.Should().BeLessThan(20L * 1024 * 1024);
    }

    public static TheoryData<int, int, bool, bool> Configurations()
    {
        var data = new TheoryData<int, int, bool, bool>();
        foreach (var bits in new[] { 9, 12, 15 })
        {
            data.Add(bits, 15, false, false);
            data.Add(15, bits, false, false);
            data.Add(bits, bits, true, false);
            data.Add(bits, bits, false, true);
            data.Add(bits, bits, true, true);
        }
        return data;
    }

    [Theory, MemberData(nameof(Configurations))] // WS-10, Autobahn 12.x/13.x: echo under each negotiated configuration.
    public void WS10_RoundTrip_UnderEveryConfiguration(int serverBits, int clientBits, bool serverNoContext, bool clientNoContext)
    {
        var parameters = new PerMessageDeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits, true, true);
        var limits = new WebSocketLimits { Compression = true };
        using var server = new WebSocketConnection(WebSocketRole.Server, limits, parameters, 0);
        using var client = new WebSocketConnection(WebSocketRole.Client, limits, parameters, 0, maskKeys: () => 0xA1B2C3D4);
        var random = new Random(7692);

        foreach (var size in new[] { 0, 16, 64, 256, 1024, 4096, 8192, 65536, 131072 })
        {
            // Autobahn 12.x sends text that compresses (repeated words); vary the words so the window matters.
            var builder = new StringBuilder();
            while (builder.Length < size) builder.Append(Words[random.Next(Words.Length)]);
            var text = builder.ToString(0, size);
            var bytes = Encoding.UTF8.GetBytes(text);

            var toServer = new ArrayBufferWriter<byte>();
            client.SendText(bytes, toServer);
            Feed(server, [toServer.WrittenMemory]).Should().Equal("text:" + text);

            var toClient = new ArrayBufferWriter<byte>();
            server.SendBinary(bytes, toClient);
            Feed(client, [toClient.WrittenMemory]).Should().Equal("binary:" + Convert.ToHexString(bytes));
            if (size >= 1024) toClient.WrittenCount.Should().BeLessThan(size, "compressible text shrinks");
        }
    }

    [Fact] // A compressed message sent in fragments: RSV1 on the first only, and it reassembles.
    public void CompressedFragments_RoundTrip()
    {
        var limits = new WebSocketLimits { Compression = true };
        using var server = new WebSocketConnection(WebSocketRole.Server, limits, Default, 0);
        using var client = new WebSocketConnection(WebSocketRole.Client, limits, Default, 0, maskKeys: () => 1);
        var output = new ArrayBufferWriter<byte>();

        client.SendFragment(true, "Hello, "u8, false, output);
        client.SendFragment(true, "fragmented "u8, false, output);
        client.SendFragment(true, "world"u8, true, output);

        (output.WrittenSpan[0] & 0x40).Should().NotBe(0, "RSV1 on the first frame");
        FeedEverySplit(() => new WebSocketConnection(WebSocketRole.Server, limits, Default, 0), output.WrittenSpan.ToArray())
            .Should().Equal("text:Hello, fragmented world");
        Feed(server, [output.WrittenMemory]).Should().Equal("text:Hello, fragmented world");
    }

    [Fact] // Found by the round-trip fuzz: an empty last fragment after a flushed one still ends the message validly.
    public void CompressedMessage_EndingWithAnEmptyFragment_RoundTrips()
    {
        var limits = new WebSocketLimits { Compression = true };
        using var client = new WebSocketConnection(WebSocketRole.Client, limits, Default, 0, maskKeys: () => 1);
        var output = new ArrayBufferWriter<byte>();

        client.SendFragment(false, [1, 2, 3], false, output);
        client.SendFragment(false, [], true, output);
        client.SendBinary([4, 5], output);

        FeedEverySplit(() => new WebSocketConnection(WebSocketRole.Server, limits, Default, 0), output.WrittenSpan.ToArray())
            .Should().Equal("binary:010203", "binary:0405");
    }

    private static readonly string[] Words = ["Hello ", "WebSocket ", "deflate ", "window ", "context ", "takeover ", "µ-ß ", "☃ "];

    [Theory] // WS-10: negotiation of offers (RFC 7692 §7.1).
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_no_context_takeover; client_no_context_takeover", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; client_max_window_bits=\"10\"", "permessage-deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=8, permessage-deflate", "permessage-deflate")]
    [InlineData("x-webkit-deflate-frame, permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; foo", null)]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover", null)]
    [InlineData("permessage-deflate; server_max_window_bits", null)]
    [InlineData("permessage-deflate; server_max_window_bits=16", null)]
    [InlineData("permessage-deflate; server_max_window_bits=08", null)]
    [InlineData("permessage-deflate; client_max_window_bits=7", null)]
    [InlineData("permessage-deflate; server_no_context_takeover=1", null)]
    [InlineData("permessage-deflate; server_max_window_bits=8", null)]
    [InlineData("x-webkit-deflate-frame", null)]
    public void WS10_Negotiation(string offer, string? expected)
    {
        var accepted = Negotiate(offer, new WebSocketLimits { Compression = true });

        (accepted?.ToResponseHeaderValue()).Should().Be(expected);
    }

    [Fact]
    public void WS10_ServerLimits_AreAppliedOrTheOfferDeclined()
    {
        var smallServerWindow = new WebSocketLimits { Compression = true, ServerMaxWindowBits = 12, ServerNoContextTakeover = true };
        Negotiate("permessage-deflate", smallServerWindow)!.ToResponseHeaderValue()
            .Should().Be("permessage-deflate; server_no_context_takeover; server_max_window_bits=12");
        Negotiate("permessage-deflate; server_max_window_bits=10", smallServerWindow)!.ServerMaxWindowBits.Should().Be(10);

        var smallClientWindow = new WebSocketLimits { Compression = true, ClientMaxWindowBits = 10 };
        Negotiate("permessage-deflate", smallClientWindow).Should().BeNull("the client did not offer to limit its window");
        Negotiate("permessage-deflate; client_max_window_bits", smallClientWindow)!.ToResponseHeaderValue()
            .Should().Be("permessage-deflate; client_max_window_bits=10");
        Negotiate("permessage-deflate; client_max_window_bits=9", smallClientWindow)!.ClientMaxWindowBits.Should().Be(9);

        Negotiate("permessage-deflate", new WebSocketLimits()).Should().BeNull("compression is off by default");
    }

    [Theory]
    [InlineData("permessage-deflate;")]
    [InlineData("permessage-deflate; a=\"b c\"")]
    [InlineData("permessage-deflate x")]
    [InlineData("; a")]
    public void MalformedExtensionHeader_IsRejectedByTheParser(string header)
    {
        WebSocketExtensionOffer.ParseAll([header]).Should().BeNull();
    }

    private static PerMessageDeflateParameters? Negotiate(string header, WebSocketLimits limits) =>
        PerMessageDeflateNegotiator.Negotiate(WebSocketExtensionOffer.ParseAll([header])!, limits);
}
