using System.Buffers;
using System.Text;
using Hyper.Core.Configuration;
using Hyper.Core.WebSockets;

namespace Hyper.Core.Tests.WebSockets;

/// <summary>Builds client frames and feeds them to a server-side <see cref="WebSocketConnection"/> in every split.</summary>
internal static class WebSocketTestKit
{
    public const uint Key = 0x3D21FA37; // the key of RFC 6455 §5.7's masked examples (37 fa 21 3d on the wire)

    public static byte[] ClientFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, bool rsv1 = false, uint key = Key)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.Write(output, opcode, fin, rsv1, payload, key);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] ClientFrame(WebSocketOpcode opcode, string text, bool fin = true) => ClientFrame(opcode, Encoding.UTF8.GetBytes(text), fin);

    public static byte[] Close(int code, string reason = "") => ClientFrame(WebSocketOpcode.Close, ClosePayload(code, Encoding.UTF8.GetBytes(reason)));

    public static byte[] ClosePayload(int code, ReadOnlySpan<byte> reason) => [(byte)(code >> 8), (byte)code, .. reason];

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static WebSocketConnection Server(WebSocketLimits? limits = null, PerMessageDeflateParameters? compression = null, bool streamFragments = false) =>
        new(WebSocketRole.Server, limits ?? new WebSocketLimits(), compression, now: 0, streamFragments);

    /// <summary>Feeds <paramref name="chunks"/> one Receive call each and returns every event, described.</summary>
    public static List<string> Feed(WebSocketConnection connection, IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        foreach (var chunk in chunks) connection.Receive(new ReadOnlySequence<byte>(chunk), now: 0);
        return Drain(connection);
    }

    public static List<string> Drain(WebSocketConnection connection)
    {
        var events = new List<string>();
        while (connection.TryDequeueEvent(out var e)) events.Add(Describe(e!));
        return events;
    }

    /// <summary>
    /// The events for <paramref name="bytes"/> fed whole, byte by byte, as a one-byte-per-segment sequence and split
    /// in two at every position: all must agree, and the agreed list is returned.
    /// </summary>
    public static List<string> FeedEverySplit(Func<WebSocketConnection> create, byte[] bytes)
    {
        List<string> expected;
        using (var whole = create()) expected = Feed(whole, [bytes]);

        using (var byByte = create())
            Feed(byByte, bytes.Select((_, i) => (ReadOnlyMemory<byte>)bytes.AsMemory(i, 1))).Should().Equal(expected, "fed byte by byte");

        using (var segmented = create())
        {
            segmented.Receive(OneByteSegments(bytes), now: 0);
            Drain(segmented).Should().Equal(expected, "fed as a sequence of one-byte segments");
        }

        for (var split = 1; split < bytes.Length; split++)
        {
            using var connection = create();
            Feed(connection, [bytes.AsMemory(0, split), bytes.AsMemory(split)]).Should().Equal(expected, $"split at {split}");
        }
        return expected;
    }

    public static string Describe(WebSocketEvent e) => e switch
    {
        WebSocketMessageReceived m => m.IsText ? $"text:{Encoding.UTF8.GetString(m.Payload.Span)}" : $"binary:{Convert.ToHexString(m.Payload.Span)}",
        WebSocketFragmentReceived f => $"fragment:{(f.IsText ? "text" : "binary")}:{Convert.ToHexString(f.Data.Span)}:{(f.EndOfMessage ? "end" : "more")}",
        WebSocketPingReceived p => $"ping:{Convert.ToHexString(p.Payload.Span)}",
        WebSocketPongReceived p => $"pong:{Convert.ToHexString(p.Payload.Span)}",
        WebSocketCloseReceived c => $"close-received:{c.Code}:{c.Reason}",
        WebSocketClosed c => $"closed:{c.Code}",
        _ => e.ToString()!,
    };

    /// <summary>The frames the connection wants to send, parsed back as (opcode, payload hex).</summary>
    public static List<string> Output(WebSocketConnection connection)
    {
        var output = new ArrayBufferWriter<byte>();
        connection.WritePendingOutput(output);
        return ParseServerFrames(output.WrittenSpan);
    }

    public static List<string> ParseServerFrames(ReadOnlySpan<byte> bytes)
    {
        var reader = new WebSocketFrameReader(WebSocketRole.Client, long.MaxValue / 2) { AllowRsv1 = true };
        var frames = new List<string>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            reader.TryReadHeader(bytes[offset..], out var consumed).Should().BeTrue();
            offset += consumed;
            var payload = new byte[reader.Header.PayloadLength];
            offset += reader.ReadPayload(bytes[offset..], payload);
            frames.Add($"{reader.Header.Opcode}:{Convert.ToHexString(payload)}");
        }
        return frames;
    }

    public static ReadOnlySequence<byte> OneByteSegments(byte[] bytes)
    {
        if (bytes.Length == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++) last = last.Append(bytes.AsMemory(i, 1));
        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
