using System.Buffers;
using Hyper.Core.WebSockets;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-06: the permessage-deflate inflater (RFC 7692 §7.2.2) fed arbitrary compressed messages, the deflate bomb
/// included. The first byte picks the window (9–15 bits) and context takeover; the rest is split into messages at
/// each 0xFF 0xFE pair and each message into two calls. Invariants: only <see cref="WebSocketProtocolException"/>
/// escapes; no message inflates past the limit by more than one inflate step's output.
/// </summary>
public sealed class WebSocketInflaterTarget : IFuzzTarget
{
    public const long MaxMessageSize = 16 * 1024;

    public string Name => "websocket-inflater";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var windowBits = 9 + (input[0] & 7) % 7;
        var noContextTakeover = (input[0] & 8) != 0;
        var rest = input[1..];

        using var inflater = new PerMessageInflater(windowBits, noContextTakeover, MaxMessageSize);
        try
        {
            while (!rest.IsEmpty)
            {
                var end = IndexOfSeparator(rest);
                var message = end < 0 ? rest : rest[..end];
                rest = end < 0 ? default : rest[(end + 2)..];

                var output = new ArrayBufferWriter<byte>();
                var half = message.Length / 2;
                inflater.Inflate(message[..half], output);
                inflater.Inflate(message[half..], output);
                inflater.EndMessage(output);
                if (output.WrittenCount > MaxMessageSize)
                    throw new FuzzInvariantException($"a message inflated to {output.WrittenCount} bytes, over the {MaxMessageSize} limit");
            }
        }
        catch (WebSocketProtocolException)
        {
            // Invalid deflate data (1007) or a message over the limit (1009): the connection closes with that code.
        }
    }

    private static int IndexOfSeparator(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] == 0xFE) return i;
        }
        return -1;
    }
}
