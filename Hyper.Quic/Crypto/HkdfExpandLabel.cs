using System.Security.Cryptography;
using System.Text;

namespace Hyper.Quic.Crypto;

/// <summary>
/// HKDF-Expand-Label of TLS 1.3 (RFC 8446 §7.1), which QUIC uses to turn a traffic secret into packet protection keys
/// (RFC 9001 §5.1). The label is prefixed with "tls13 "; QUIC's labels always pass an empty context.
/// </summary>
public static class HkdfExpandLabel
{
    private static ReadOnlySpan<byte> Prefix => "tls13 "u8;

    public static void Expand(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        if (Prefix.Length + label.Length > 255 || context.Length > 255 || output.Length > ushort.MaxValue)
            throw new ArgumentException("Label, context or output too long for HkdfLabel.");

        // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
        Span<byte> info = stackalloc byte[2 + 1 + Prefix.Length + label.Length + 1 + context.Length];
        info[0] = (byte)(output.Length >> 8);
        info[1] = (byte)output.Length;
        info[2] = (byte)(Prefix.Length + label.Length);
        Prefix.CopyTo(info[3..]);
        label.CopyTo(info[(3 + Prefix.Length)..]);
        var contextAt = 3 + Prefix.Length + label.Length;
        info[contextAt] = (byte)context.Length;
        context.CopyTo(info[(contextAt + 1)..]);
        HKDF.Expand(hash, secret, output, info);
    }

    public static byte[] Expand(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, int length)
    {
        var output = new byte[length];
        Expand(hash, secret, Encoding.ASCII.GetBytes(label), ReadOnlySpan<byte>.Empty, output);
        return output;
    }
}
