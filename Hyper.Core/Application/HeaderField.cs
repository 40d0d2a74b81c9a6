using System.Text;

namespace Hyper.Core.Application;

/// <summary>
/// One header field as raw bytes. Request header names arrive lower-cased (ASGI); values are never forced
/// through <see cref="string"/> unless the application asks for it.
/// </summary>
public readonly record struct HeaderField(ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Value)
{
    /// <summary>Builds a field from strings (Latin-1); the name is lower-cased.</summary>
    public static HeaderField Of(string name, string value) =>
        new(Encoding.Latin1.GetBytes(name.ToLowerInvariant()), Encoding.Latin1.GetBytes(value));

    public string NameString => Encoding.Latin1.GetString(Name.Span);
    public string ValueString => Encoding.Latin1.GetString(Value.Span);

    /// <summary>Case-insensitive comparison of the name with an ASCII name.</summary>
    public bool NameIs(ReadOnlySpan<byte> asciiLowerName) => Ascii.EqualsIgnoreCase(Name.Span, asciiLowerName);

    public override string ToString() => $"{NameString}: {ValueString}";
}
