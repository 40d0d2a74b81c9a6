namespace Hyper.Core.Application;

/// <summary>Look-ups over a header list (names compared case-insensitively, as RFC 9110 §5.1 requires).</summary>
public static class HeaderFields
{
    public static bool TryGet(IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name, out ReadOnlyMemory<byte> value)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].NameIs(name))
            {
                value = headers[i].Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static bool Contains(IReadOnlyList<HeaderField> headers, ReadOnlySpan<byte> name) => TryGet(headers, name, out _);

    public static string? GetString(IReadOnlyList<HeaderField> headers, string name) =>
        TryGet(headers, System.Text.Encoding.ASCII.GetBytes(name), out var v) ? System.Text.Encoding.Latin1.GetString(v.Span) : null;
}
