using System.Buffers;

namespace Hyper.Core.WebSockets;

/// <summary>
/// The receiving half of permessage-deflate (RFC 7692 §7.2.2): inflates a message's payload as it arrives,
/// appends 00 00 FF FF at its end, and resets the window after each message when context takeover is off.
/// The size limit is enforced on the inflated bytes while inflating: output is produced in chunks of at most
/// 16 KiB and never past the limit plus one byte, so a small message that would inflate to gigabytes costs at
/// most the limit in memory before it fails with 1009 (WS-05).
/// </summary>
internal sealed class PerMessageInflater : IDisposable
{
    private static ReadOnlySpan<byte> Tail => [0x00, 0x00, 0xFF, 0xFF];

    private const int ChunkSize = 16 * 1024;

    private readonly ZlibRawStream _zlib;
    private readonly bool _noContextTakeover;
    private readonly long _maxMessageSize;
    private long _messageSize;

    public PerMessageInflater(int windowBits, bool noContextTakeover, long maxMessageSize)
    {
        // zlib's deflate cannot make a raw 8-bit window and silently uses 9; a 9-bit (or larger) inflate window
        // accepts what any peer sends under an 8-bit agreement.
        _zlib = ZlibRawStream.CreateInflater(Math.Max(windowBits, 9));
        _noContextTakeover = noContextTakeover;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Inflated bytes of the current message so far.</summary>
    public long MessageSize => _messageSize;

    /// <summary>Inflates compressed payload bytes of the current message into <paramref name="destination"/>.</summary>
    /// <exception cref="WebSocketProtocolException">1009 past the size limit, 1007 on corrupt data.</exception>
    public void Inflate(ReadOnlySpan<byte> compressed, IBufferWriter<byte> destination)
    {
        var remaining = compressed;
        while (true)
        {
            // Ask for at most one byte past the limit: that byte proves the message is too big.
            var left = _maxMessageSize - _messageSize;
            var room = left >= ChunkSize ? ChunkSize : (int)left + 1;
            var target = destination.GetSpan(room);
            if (target.Length > room) target = target[..room];
            if (!_zlib.Step(remaining, target, syncFlush: false, out var consumed, out var written))
                throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData,
                    $"Compressed payload does not inflate: {_zlib.ErrorMessage ?? "corrupt data"}.");
            remaining = remaining[consumed..];
            destination.Advance(written);
            _messageSize += written;
            if (_messageSize > _maxMessageSize)
                throw new WebSocketProtocolException(WebSocketCloseStatus.MessageTooBig,
                    $"Message inflates to more than {_maxMessageSize} bytes.");
            if (remaining.IsEmpty && _zlib.PendingInput == 0 && written < room) return;
        }
    }

    /// <summary>The current message's last frame is in: inflates the 00 00 FF FF tail and prepares for the next message.</summary>
    public void EndMessage(IBufferWriter<byte> destination)
    {
        Inflate(Tail, destination);
        _messageSize = 0;
        // A message ended with a BFINAL block (RFC 7692 §7.2.3.4) ends the deflate stream; the next starts afresh.
        if (_noContextTakeover || _zlib.Finished) _zlib.Reset();
    }

    public void Dispose() => _zlib.Dispose();
}
