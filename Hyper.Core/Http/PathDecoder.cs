using System.Text;

namespace Hyper.Core.Http;

/// <summary>Percent-decodes a raw request path into the ASGI <c>path</c> string (UTF-8, RFC 3986 §2.1).</summary>
internal static class PathDecoder
{
    public static string Decode(ReadOnlySpan<byte> rawPath)
    {
        if (rawPath.IndexOf((byte)'%') < 0)
        {
            // The common case: nothing to decode. Invalid UTF-8 still decodes (replacement chars), never throws.
            return Encoding.UTF8.GetString(rawPath);
        }
        var buffer = rawPath.Length <= 512 ? stackalloc byte[rawPath.Length] : new byte[rawPath.Length];
        var length = 0;
        for (var i = 0; i < rawPath.Length; i++)
        {
            var b = rawPath[i];
            if (b == '%' && i + 2 < rawPath.Length && IsHex(rawPath[i + 1]) && IsHex(rawPath[i + 2]))
            {
                buffer[length++] = (byte)(HexValue(rawPath[i + 1]) << 4 | HexValue(rawPath[i + 2]));
                i += 2;
            }
            else
            {
                buffer[length++] = b;
            }
        }
        return Encoding.UTF8.GetString(buffer[..length]);
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
