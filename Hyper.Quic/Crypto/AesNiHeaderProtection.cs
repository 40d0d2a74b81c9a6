using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace Hyper.Quic.Crypto;

/// <summary>
/// AES header protection (RFC 9001 §5.4.3) on the x86 AES instructions. The mask is a single AES block, and the
/// platform's ECB call costs about as much as the packet's AEAD (it sets up a cipher context per call); encrypting
/// one block with expanded round keys kept here is two orders of magnitude cheaper. Key expansion follows FIPS-197
/// §5.2 using AESKEYGENASSIST.
/// </summary>
public sealed class AesNiHeaderProtection : HeaderProtection
{
    private readonly Vector128<byte>[] _roundKeys;

    public AesNiHeaderProtection(ReadOnlySpan<byte> key)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("This CPU has no AES instructions.");
        _roundKeys = key.Length switch
        {
            16 => ExpandAes128(Vector128.Create(key)),
            32 => ExpandAes256(Vector128.Create(key[..16]), Vector128.Create(key[16..])),
            _ => throw new ArgumentException("An AES header protection key is 16 or 32 bytes.", nameof(key)),
        };
    }

    public static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    public override void ComputeMask(ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        var keys = _roundKeys;
        var state = Sse2.Xor(Vector128.Create(sample[..SampleLength]), keys[0]);
        var last = keys.Length - 1;
        for (var round = 1; round < last; round++) state = X86Aes.Encrypt(state, keys[round]);
        state = X86Aes.EncryptLast(state, keys[last]);
        Span<byte> block = stackalloc byte[16];
        state.CopyTo(block);
        block[..MaskLength].CopyTo(mask);
    }

    protected override void Dispose(bool disposing) => Array.Clear(_roundKeys);

    private static Vector128<byte>[] ExpandAes128(Vector128<byte> key)
    {
        var keys = new Vector128<byte>[11];
        keys[0] = key;
        // AESKEYGENASSIST takes its round constant as an immediate, hence one call per round.
        keys[1] = Next128(keys[0], X86Aes.KeygenAssist(keys[0], 0x01));
        keys[2] = Next128(keys[1], X86Aes.KeygenAssist(keys[1], 0x02));
        keys[3] = Next128(keys[2], X86Aes.KeygenAssist(keys[2], 0x04));
        keys[4] = Next128(keys[3], X86Aes.KeygenAssist(keys[3], 0x08));
        keys[5] = Next128(keys[4], X86Aes.KeygenAssist(keys[4], 0x10));
        keys[6] = Next128(keys[5], X86Aes.KeygenAssist(keys[5], 0x20));
        keys[7] = Next128(keys[6], X86Aes.KeygenAssist(keys[6], 0x40));
        keys[8] = Next128(keys[7], X86Aes.KeygenAssist(keys[7], 0x80));
        keys[9] = Next128(keys[8], X86Aes.KeygenAssist(keys[8], 0x1b));
        keys[10] = Next128(keys[9], X86Aes.KeygenAssist(keys[9], 0x36));
        return keys;
    }

    private static Vector128<byte>[] ExpandAes256(Vector128<byte> low, Vector128<byte> high)
    {
        var keys = new Vector128<byte>[15];
        keys[0] = low;
        keys[1] = high;
        keys[2] = NextEven256(keys[0], X86Aes.KeygenAssist(keys[1], 0x01));
        keys[3] = NextOdd256(keys[1], keys[2]);
        keys[4] = NextEven256(keys[2], X86Aes.KeygenAssist(keys[3], 0x02));
        keys[5] = NextOdd256(keys[3], keys[4]);
        keys[6] = NextEven256(keys[4], X86Aes.KeygenAssist(keys[5], 0x04));
        keys[7] = NextOdd256(keys[5], keys[6]);
        keys[8] = NextEven256(keys[6], X86Aes.KeygenAssist(keys[7], 0x08));
        keys[9] = NextOdd256(keys[7], keys[8]);
        keys[10] = NextEven256(keys[8], X86Aes.KeygenAssist(keys[9], 0x10));
        keys[11] = NextOdd256(keys[9], keys[10]);
        keys[12] = NextEven256(keys[10], X86Aes.KeygenAssist(keys[11], 0x20));
        keys[13] = NextOdd256(keys[11], keys[12]);
        keys[14] = NextEven256(keys[12], X86Aes.KeygenAssist(keys[13], 0x40));
        return keys;
    }

    // w[i] = w[i-4] ^ f(w[i-1]) for the four words of a round key at once: the running xor of the previous key's
    // words, then the assisted word broadcast to all four lanes.
    private static Vector128<byte> Next128(Vector128<byte> previous, Vector128<byte> assisted) =>
        Sse2.Xor(PrefixXor(previous), Sse2.Shuffle(assisted.AsUInt32(), 0xff).AsByte());

    private static Vector128<byte> NextEven256(Vector128<byte> twoBack, Vector128<byte> assisted) =>
        Sse2.Xor(PrefixXor(twoBack), Sse2.Shuffle(assisted.AsUInt32(), 0xff).AsByte());

    // AES-256's odd round keys use SubWord without RotWord and no round constant: lane 2 of AESKEYGENASSIST(x, 0).
    private static Vector128<byte> NextOdd256(Vector128<byte> twoBack, Vector128<byte> previous) =>
        Sse2.Xor(PrefixXor(twoBack), Sse2.Shuffle(X86Aes.KeygenAssist(previous, 0x00).AsUInt32(), 0xaa).AsByte());

    private static Vector128<byte> PrefixXor(Vector128<byte> key)
    {
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        return Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
    }
}
