using System.Buffers;
using System.Text;
using Hyper.Core.Configuration;
using Hyper.Core.WebSockets;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-06: the server side of a WebSocket connection (frame reader, masking, fragmentation, control frames, UTF-8
/// validation, permessage-deflate) fed arbitrary client bytes. The first input byte picks the configuration
/// (bit 0 compression, bit 1 client_no_context_takeover, bits 2–4 the client window of 9–15 bits, bit 5 fragments
/// handed over as they come); the rest is the byte stream. Invariants: no exception escapes (a broken rule closes
/// with its code); no message, whole or summed from fragments, is larger than the limit; the same bytes split
/// differently give the same messages.
/// </summary>
public sealed class WebSocketConnectionTarget : IFuzzTarget
{
    private const long Now = 10 * TimeSpan.TicksPerSecond;
    public const long MaxMessageSize = 16 * 1024;

    private static readonly WebSocketLimits Limits = new() { MaxMessageSize = MaxMessageSize, MaxEmptyFragments = 8 };

    public string Name => "websocket-connection";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var config = input[0];
        var stream = input[1..];
        var compression = (config & 1) == 0 ? null : new PerMessageDeflateParameters(
            ServerNoContextTakeover: false, ClientNoContextTakeover: (config & 2) != 0,
            ServerMaxWindowBits: 15, ClientMaxWindowBits: 9 + ((config >> 2) & 7) % 7,
            IncludeServerMaxWindowBits: false, IncludeClientMaxWindowBits: false);
        var streamFragments = (config & 0x20) != 0;

        string? first = null;
        foreach (var plan in Delivery.Plans(stream))
        {
            var transcript = Play(stream, plan, compression, streamFragments);
            // Fragments are handed over as they arrive, so only whole messages are comparable across reads.
            if (streamFragments) continue;
            if (first is null) first = transcript;
            else if (transcript != first)
                throw new FuzzInvariantException($"split into {plan.Length} reads the input gives other events:\n--- whole\n{first}\n--- split\n{transcript}");
        }
    }

    private static string Play(ReadOnlySpan<byte> input, int[] plan, PerMessageDeflateParameters? compression, bool streamFragments)
    {
        using var connection = new WebSocketConnection(WebSocketRole.Server, Limits, compression, Now, streamFragments);
        var output = new ArrayBufferWriter<byte>();
        var log = new StringBuilder();
        long fragmented = 0;

        var offset = 0;
        foreach (var size in plan)
        {
            // The connection keeps partial frames itself and consumes everything it is given.
            var chunk = input.Slice(offset, size).ToArray();
            offset += size;
            connection.Receive(new ReadOnlySequence<byte>(chunk), Now);
            if (connection.HasPendingOutput) connection.WritePendingOutput(output);
            Drain(connection, log, ref fragmented);
            if (connection.State == WebSocketConnectionState.Closed) break;
        }
        connection.ReceiveCompleted(Now);
        Drain(connection, log, ref fragmented);
        return log.ToString();
    }

    private static void Drain(WebSocketConnection connection, StringBuilder log, ref long fragmented)
    {
        while (connection.TryDequeueEvent(out var e))
        {
            switch (e)
            {
                case WebSocketMessageReceived m:
                    if (m.Payload.Length > MaxMessageSize)
                        throw new FuzzInvariantException($"a {m.Payload.Length}-byte message passed the {MaxMessageSize} limit");
                    log.Append(m.IsText ? "text " : "binary ").Append(m.Payload.Length).Append(' ').Append(Checksum(m.Payload.Span)).Append('\n');
                    break;
                case WebSocketFragmentReceived f:
                    fragmented += f.Data.Length;
                    if (fragmented > MaxMessageSize)
                        throw new FuzzInvariantException($"fragments of {fragmented} bytes passed the {MaxMessageSize} message limit");
                    if (f.EndOfMessage) fragmented = 0;
                    break;
                case WebSocketPingReceived p:
                    log.Append("ping ").Append(p.Payload.Length).Append('\n');
                    break;
                case WebSocketPongReceived p:
                    log.Append("pong ").Append(p.Payload.Length).Append('\n');
                    break;
                case WebSocketCloseReceived c:
                    log.Append("close-received ").Append(c.Code).Append('\n');
                    break;
                case WebSocketClosed c:
                    log.Append("closed ").Append(c.Code).Append('\n');
                    break;
                default:
                    log.Append(e!.GetType().Name).Append('\n');
                    break;
            }
        }
    }

    private static int Checksum(ReadOnlySpan<byte> bytes)
    {
        var hash = 17;
        foreach (var b in bytes) hash = unchecked(hash * 31 + b);
        return hash;
    }
}
