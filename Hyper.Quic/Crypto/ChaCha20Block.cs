using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Hyper.Quic.Crypto;

/// <summary>
/// The ChaCha20 block function (RFC 8439 §2.3). .NET offers ChaCha20 only inside ChaCha20-Poly1305, and QUIC header
/// protection needs the raw key stream (RFC 9001 §5.4.4), so the 20 rounds are done here. The state lives in sixteen
/// locals rather than an array so the JIT keeps it in registers; that is most of this function's speed.
/// </summary>
internal static class ChaCha20Block
{
    /// <summary>Writes the 64-byte key stream block for (key, counter, nonce) into <paramref name="output"/>.</summary>
    public static void Compute(ReadOnlySpan<uint> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> output)
    {
        // "expand 32-byte k", the key, the block counter and the nonce (RFC 8439 §2.3).
        uint s0 = 0x61707865, s1 = 0x3320646e, s2 = 0x79622d32, s3 = 0x6b206574;
        uint s4 = key[0], s5 = key[1], s6 = key[2], s7 = key[3], s8 = key[4], s9 = key[5], s10 = key[6], s11 = key[7];
        var s12 = counter;
        var s13 = BinaryPrimitives.ReadUInt32LittleEndian(nonce);
        var s14 = BinaryPrimitives.ReadUInt32LittleEndian(nonce[4..]);
        var s15 = BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]);

        uint x0 = s0, x1 = s1, x2 = s2, x3 = s3, x4 = s4, x5 = s5, x6 = s6, x7 = s7;
        uint x8 = s8, x9 = s9, x10 = s10, x11 = s11, x12 = s12, x13 = s13, x14 = s14, x15 = s15;
        for (var i = 0; i < 10; i++)
        {
            // A column round, then a diagonal round (RFC 8439 §2.3).
            QuarterRound(ref x0, ref x4, ref x8, ref x12);
            QuarterRound(ref x1, ref x5, ref x9, ref x13);
            QuarterRound(ref x2, ref x6, ref x10, ref x14);
            QuarterRound(ref x3, ref x7, ref x11, ref x15);
            QuarterRound(ref x0, ref x5, ref x10, ref x15);
            QuarterRound(ref x1, ref x6, ref x11, ref x12);
            QuarterRound(ref x2, ref x7, ref x8, ref x13);
            QuarterRound(ref x3, ref x4, ref x9, ref x14);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(output, x0 + s0);
        BinaryPrimitives.WriteUInt32LittleEndian(output[4..], x1 + s1);
        BinaryPrimitives.WriteUInt32LittleEndian(output[8..], x2 + s2);
        BinaryPrimitives.WriteUInt32LittleEndian(output[12..], x3 + s3);
        BinaryPrimitives.WriteUInt32LittleEndian(output[16..], x4 + s4);
        BinaryPrimitives.WriteUInt32LittleEndian(output[20..], x5 + s5);
        BinaryPrimitives.WriteUInt32LittleEndian(output[24..], x6 + s6);
        BinaryPrimitives.WriteUInt32LittleEndian(output[28..], x7 + s7);
        BinaryPrimitives.WriteUInt32LittleEndian(output[32..], x8 + s8);
        BinaryPrimitives.WriteUInt32LittleEndian(output[36..], x9 + s9);
        BinaryPrimitives.WriteUInt32LittleEndian(output[40..], x10 + s10);
        BinaryPrimitives.WriteUInt32LittleEndian(output[44..], x11 + s11);
        BinaryPrimitives.WriteUInt32LittleEndian(output[48..], x12 + s12);
        BinaryPrimitives.WriteUInt32LittleEndian(output[52..], x13 + s13);
        BinaryPrimitives.WriteUInt32LittleEndian(output[56..], x14 + s14);
        BinaryPrimitives.WriteUInt32LittleEndian(output[60..], x15 + s15);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuarterRound(ref uint a, ref uint b, ref uint c, ref uint d)
    {
        a += b; d = BitOperations.RotateLeft(d ^ a, 16);
        c += d; b = BitOperations.RotateLeft(b ^ c, 12);
        a += b; d = BitOperations.RotateLeft(d ^ a, 8);
        c += d; b = BitOperations.RotateLeft(b ^ c, 7);
    }
}
