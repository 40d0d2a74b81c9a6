using System.Buffers;

namespace Hyper.Core.WebSockets;

/// <summary>
/// The sending half of permessage-deflate (RFC 7692 §7.2.1): compresses a message (or one fragment of it) with a
/// sync flush, drops the final 00 00 FF FF of a message, and resets the window after each message when context
/// takeover is off.
/// </summary>
internal sealed class PerMessageDeflater : IDisposable
{
    private static ReadOnlySpan<byte> Tail => [0x00, 0x00, 0xFF, 0xFF];
    private static ReadOnlySpan<byte> EmptyBlock => [0x00];

    private readonly ZlibRawStream _zlib;
    private readonly bool _noContextTakeover;
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly byte[] _chunk = new byte[16 * 1024];

    public PerMessageDeflater(int windowBits, bool noContextTakeover)
    {
        _zlib = ZlibRawStream.CreateDeflater(Math.Max(windowBits, 9));
        _noContextTakeover = noContextTakeover;
    }

    /// <summary>
    /// Compresses <paramref name="data"/>. The returned bytes are valid until the next call. With
    /// <paramref name="endOfMessage"/> the message's last four bytes (00 00 FF FF) are removed (RFC 7692 §7.2.1).
    /// Each fragment is flushed, so a fragment's bytes can go out before the next one is compressed.
    /// </summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> data, bool endOfMessage)
    {
        _output.ResetWrittenCount();
        var remaining = data;
        while (true)
        {
            // Flush only once the last input is in: flushing every chunk would cost compression.
            var lastInput = _zlib.PendingInput > 0 ? remaining.IsEmpty : remaining.Length <= _chunk.Length;
            _zlib.Step(remaining, _chunk, syncFlush: lastInput, out var consumed, out var written);
            remaining = remaining[consumed..];
            _output.Write(_chunk.AsSpan(0, written));
            // Done when all input went in and zlib left room in the output (the flush is complete).
            if (remaining.IsEmpty && _zlib.PendingInput == 0 && written < _chunk.Length) break;
        }
        var result = _output.WrittenSpan;
        if (endOfMessage)
        {
            if (result.IsEmpty)
            {
                // Nothing new since the previous fragment's flush, whose 00 00 FF FF has already gone out, so
                // there is no tail to remove. A single 00 is an empty block once the receiver appends the tail
                // (RFC 7692 §7.2.3.6).
                result = EmptyBlock;
            }
            else if (!result.EndsWith(Tail)) throw new InvalidOperationException("A sync flush did not end with 00 00 FF FF.");
            else result = result[..^4];
            if (_noContextTakeover) _zlib.Reset();
        }
        return result;
    }

    public void Dispose() => _zlib.Dispose();
}
