using System.Numerics;
using System.Runtime.InteropServices;

namespace Hyper.Core.WebSockets;

/// <summary>
/// RFC 6455 §5.3 masking: byte i of the payload is XORed with byte (i mod 4) of the key. Masking and unmasking are
/// the same operation, applied in place. The key is a <see cref="uint"/> whose lowest byte is the first key byte.
/// </summary>
internal static class WebSocketMask
{
    /// <summary>
    /// XORs <paramref name="data"/> with the key, starting at key byte <paramref name="keyOffset"/> (0–3) so that
    /// a payload split across calls is unmasked as one. Returns the key offset for the byte after the span.
    /// </summary>
    public static int Apply(Span<byte> data, uint key, int keyOffset)
    {
        if (data.IsEmpty) return keyOffset;
        var rotated = Rotate(key, keyOffset);
        var done = 0;

        // Whole vectors first (the key repeats every 4 bytes, and vector widths are multiples of 4, so the
        // rotated key lines up with every vector), then 8-byte words, then the tail byte by byte. The wide paths
        // lay the key out in memory lowest byte first, which is wire order only on little-endian machines.
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var vectorMask = Vector.AsVectorByte(new Vector<uint>(rotated));
            var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            for (var i = 0; i < vectors.Length; i++) vectors[i] ^= vectorMask;
            done = vectors.Length * Vector<byte>.Count;
        }

        var words = MemoryMarshal.Cast<byte, ulong>(data[done..]);
        if (!words.IsEmpty && BitConverter.IsLittleEndian)
        {
            var wordMask = rotated | ((ulong)rotated << 32);
            for (var i = 0; i < words.Length; i++) words[i] ^= wordMask;
            done += words.Length * 8;
        }

        for (var i = done; i < data.Length; i++) data[i] ^= (byte)(rotated >> (8 * ((i - done) & 3)));
        return (keyOffset + data.Length) & 3;
    }

    // The key as seen from byte `offset` onwards: key byte `offset` becomes the lowest byte.
    private static uint Rotate(uint key, int offset) => BitOperations.RotateRight(key, 8 * (offset & 3));
}
