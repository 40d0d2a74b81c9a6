namespace Hyper.Conformance.WebSockets;

public static partial class WebSocketCases
{
    /// <summary>
    /// Group 9: large messages, whole and in many frames, and many messages in a row, all echoed exactly; and a message
    /// over the limit (<see cref="WebSocketServerProfiles.MaxMessageSize"/>) closed with 1009 (RFC 6455 §7.4.1) as
    /// soon as a frame header announces it, before its payload is sent.
    /// </summary>
    private static IEnumerable<WebSocketCase> Limits()
    {
        var sizes = new[] { 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024, (int)WebSocketServerProfiles.MaxMessageSize };
        var large = TimeSpan.FromSeconds(90);
        for (var i = 0; i < sizes.Length; i++)
        {
            var size = sizes[i];
            yield return Case($"ws/9.1.{i + 1}", "RFC 6455 §5.6", $"a text message of {Mib(size)} is echoed", Open,
                Send(_ => ClientFrame.Build(ClientFrame.Text, TextOf(size))), Echo(ClientFrame.Text, TextOf(size))) with { Budget = large, OverHttp2 = size == 1024 * 1024 };
            yield return Case($"ws/9.2.{i + 1}", "RFC 6455 §5.6", $"a binary message of {Mib(size)} is echoed", Open,
                Send(_ => ClientFrame.Build(ClientFrame.Binary, BinaryOf(size))), Echo(ClientFrame.Binary, BinaryOf(size))) with { Budget = large };
        }
        var frameSizes = new[] { 64, 1024, 16 * 1024, 256 * 1024 };
        for (var i = 0; i < frameSizes.Length; i++)
        {
            var frame = frameSizes[i];
            yield return Case($"ws/9.3.{i + 1}", "RFC 6455 §5.4", $"a 1 MiB text message in frames of {frame} bytes is echoed", Open,
                Send(_ => Fragmented(ClientFrame.Text, TextOf(1024 * 1024), frame)), Echo(ClientFrame.Text, TextOf(1024 * 1024))) with { Budget = large };
            yield return Case($"ws/9.4.{i + 1}", "RFC 6455 §5.4", $"a 1 MiB binary message in frames of {frame} bytes is echoed", Open,
                Send(_ => Fragmented(ClientFrame.Binary, BinaryOf(1024 * 1024), frame)), Echo(ClientFrame.Binary, BinaryOf(1024 * 1024))) with { Budget = large };
        }
        var chops = new[] { 64, 4096 };
        for (var i = 0; i < chops.Length; i++)
        {
            yield return Case($"ws/9.5.{i + 1}", "RFC 6455 §5.2", $"a 1 MiB binary message written in pieces of {chops[i]} bytes is echoed", Open,
                new WebSocketStep.Send(_ => ClientFrame.Build(ClientFrame.Binary, BinaryOf(1024 * 1024)), chops[i]), Echo(ClientFrame.Binary, BinaryOf(1024 * 1024))) with { Budget = large };
        }
        var messages = Enumerable.Range(0, 1000).Select(i => TextOf(16 + i % 64)).ToArray();
        yield return Case("ws/9.7.1", "RFC 6455 §5.6", "1000 text messages in one write are echoed in order", Open,
            [Send([.. messages.SelectMany(m => ClientFrame.Build(ClientFrame.Text, m))]), .. messages.Select(m => Echo(ClientFrame.Text, m))]) with { OverHttp2 = true };
        var binaries = Enumerable.Range(0, 1000).Select(i => BinaryOf(16 + i % 64, (uint)i)).ToArray();
        yield return Case("ws/9.7.2", "RFC 6455 §5.6", "1000 binary messages, each waited for, are echoed", Open,
            [.. binaries.SelectMany(m => new[] { Send(ClientFrame.Build(ClientFrame.Binary, m)), Echo(ClientFrame.Binary, m) })]) with { Budget = large };
        var limit = (ulong)WebSocketServerProfiles.MaxMessageSize;
        yield return Case("ws/9.9.1", "RFC 6455 §7.4.1", "a frame header announcing one byte over the message limit closes 1009 before any payload", Fails(1009),
            Send(ClientFrame.HeaderOnly(ClientFrame.Binary, limit + 1))) with { OverHttp2 = true };
        yield return Case("ws/9.9.2", "RFC 6455 §7.4.1", "a frame header announcing 2^62 bytes closes 1009 at once", Fails(1009),
            Send(ClientFrame.HeaderOnly(ClientFrame.Text, 1UL << 62)));
        yield return Case("ws/9.9.3", "RFC 6455 §7.4.1", "fragments whose running total passes the limit: 1009 on the header that passes it", Fails(1009),
            Send(_ => ClientFrame.Build(ClientFrame.Binary, BinaryOf((int)(limit / 2)), fin: false)),
            Send(ClientFrame.HeaderOnly(ClientFrame.Continuation, limit / 2 + 1))) with { Budget = large };
    }

    private static string Mib(int size) => size >= 1024 * 1024 ? $"{size / (1024 * 1024)} MiB" : $"{size / 1024} KiB";
}
