using System.Buffers.Binary;
using System.Numerics;

namespace Hyper.Quic.Crypto;

/// <summary>
/// The ChaCha20 block function (RFC 8439 §2.3). .NET offers ChaCha20 only inside ChaCha20-Poly1305, and QUIC header
/// protection needs the raw key stream (RFC 9001 §5.4.4), so the 20 rounds are done here.
/// </summary>
internal static class ChaCha20Block
{
    /// <summary>Writes the 64-byte key stream block for (key, counter, nonce) into <paramref name="output"/>.</summary>
    public static void Compute(ReadOnlySpan<uint> key, uint counter, ReadOnlySpan<byte> nonce, Span<byte> output)
    {
        Span<uint> state = stackalloc uint[16];
        // "expand 32-byte k"
        state[0] = 0x61707865;
        state[1] = 0x3320646e;
        state[2] = 0x79622d32;
        state[3] = 0x6b206574;
        key[..8].CopyTo(state[4..]);
        state[12] = counter;
        state[13] = BinaryPrimitives.ReadUInt32LittleEndian(nonce);
        state[14] = BinaryPrimitives.ReadUInt32LittleEndian(nonce[4..]);
        state[15] = BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]);

        Span<uint> working = stackalloc uint[16];
        state.CopyTo(working);
        for (var i = 0; i < 10; i++)
        {
            QuarterRound(working, 0, 4, 8, 12);
            QuarterRound(working, 1, 5, 9, 13);
            QuarterRound(working, 2, 6, 10, 14);
            QuarterRound(working, 3, 7, 11, 15);
            QuarterRound(working, 0, 5, 10, 15);
            QuarterRound(working, 1, 6, 11, 12);
            QuarterRound(working, 2, 7, 8, 13);
            QuarterRound(working, 3, 4, 9, 14);
        }

        for (var i = 0; i < 16; i++) BinaryPrimitives.WriteUInt32LittleEndian(output[(4 * i)..], working[i] + state[i]);
    }

    private static void QuarterRound(Span<uint> x, int a, int b, int c, int d)
    {
        x[a] += x[b]; x[d] = BitOperations.RotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d]; x[b] = BitOperations.RotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b]; x[d] = BitOperations.RotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d]; x[b] = BitOperations.RotateLeft(x[b] ^ x[c], 7);
    }
}
