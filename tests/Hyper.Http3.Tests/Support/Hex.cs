namespace Hyper.Http3.Tests.Support;

internal static class Hex
{
    /// <summary>Hex digits to bytes, ignoring spaces (the RFC's examples group them in fours).</summary>
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
