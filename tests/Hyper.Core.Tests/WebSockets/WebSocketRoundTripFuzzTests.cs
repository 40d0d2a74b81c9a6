using System.Buffers;
using System.Text;
using Hyper.Core.Configuration;
using Hyper.Core.WebSockets;
using static Hyper.Core.Tests.WebSockets.WebSocketTestKit;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>
/// Randomised round trips with fixed seeds: a client connection writes messages (random sizes, random
/// fragmentation, pings between fragments, with and without compression), the byte stream is cut at random
/// places, and the server connection must give back exactly what was sent; then the same from server to client.
/// </summary>
public sealed class WebSocketRoundTripFuzzTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void RandomTraffic_SplitRandomly_RoundTrips(int seed, bool compressed)
    {
        var random = new Random(seed);
        var limits = new WebSocketLimits { Compression = compressed };
        var parameters = compressed ? new PerMessageDeflateParameters(seed == 4, seed == 4, 15, 15, false, false) : null;
        using var client = new WebSocketConnection(WebSocketRole.Client, limits, parameters, 0, maskKeys: () => (uint)random.Next());
        using var server = new WebSocketConnection(WebSocketRole.Server, limits, parameters, 0);

        var clientToServer = new ArrayBufferWriter<byte>();
        var serverToClient = new ArrayBufferWriter<byte>();
        var expectedAtServer = new List<string>();
        var expectedAtClient = new List<string>();
        for (var message = 0; message < 120; message++)
        {
            Send(random, client, clientToServer, expectedAtServer);
            Send(random, server, serverToClient, expectedAtClient);
        }

        FeedInRandomCuts(random, server, clientToServer.WrittenMemory).Should().Equal(expectedAtServer);
        FeedInRandomCuts(random, client, serverToClient.WrittenMemory).Should().Equal(expectedAtClient);
    }

    private static void Send(Random random, WebSocketConnection sender, ArrayBufferWriter<byte> wire, List<string> expected)
    {
        var isText = random.Next(2) == 0;
        var size = random.Next(10) switch { < 5 => random.Next(0, 126), < 8 => random.Next(126, 70_000), _ => random.Next(70_000, 300_000) };
        var payload = isText ? RandomText(random, size) : RandomBytes(random, size);
        var fragments = random.Next(1, 5);
        var cuts = Enumerable.Range(0, fragments - 1).Select(_ => random.Next(payload.Length + 1)).Order().Append(payload.Length).ToList();
        var start = 0;
        for (var i = 0; i < cuts.Count; i++)
        {
            sender.SendFragment(isText, payload.AsSpan(start, cuts[i] - start), endOfMessage: i == cuts.Count - 1, wire);
            start = cuts[i];
            if (i < cuts.Count - 1 && random.Next(3) == 0)
            {
                var ping = RandomBytes(random, random.Next(0, 126));
                sender.SendPing(ping, wire);
                expected.Add($"ping:{Convert.ToHexString(ping)}");
            }
        }
        expected.Add(isText ? $"text:{Encoding.UTF8.GetString(payload)}" : $"binary:{Convert.ToHexString(payload)}");
    }

    private static List<string> FeedInRandomCuts(Random random, WebSocketConnection receiver, ReadOnlyMemory<byte> wire)
    {
        var events = new List<string>();
        for (var offset = 0; offset < wire.Length;)
        {
            var length = Math.Min(wire.Length - offset, random.Next(3) == 0 ? random.Next(1, 8) : random.Next(1, 40_000));
            receiver.Receive(new ReadOnlySequence<byte>(wire.Slice(offset, length)), 0);
            offset += length;
            events.AddRange(Drain(receiver));
        }
        return events;
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[size];
        // Half the time compressible (a small alphabet), so the deflate paths see both kinds of data.
        if (random.Next(2) == 0) random.NextBytes(bytes);
        else for (var i = 0; i < size; i++) bytes[i] = (byte)('a' + random.Next(4));
        return bytes;
    }

    private static byte[] RandomText(Random random, int size)
    {
        string[] pieces = ["a", "b", " ", "é", "ß", "€", "☃", "😀", "𝄞"];
        var builder = new StringBuilder();
        for (var bytes = 0; bytes < size;)
        {
            var piece = pieces[random.Next(pieces.Length)];
            builder.Append(piece);
            bytes += Encoding.UTF8.GetByteCount(piece);
        }
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
