namespace Hyper.Core.Logging;

/// <summary>
/// One piece of a compiled access-log format: an atom, or literal text. <see cref="Argument"/> is the literal text,
/// the header name (lower-case ASCII bytes in <see cref="NameBytes"/>) or the environment variable name.
/// </summary>
internal readonly record struct AccessLogSegment(AccessLogAtom Atom, string Argument = "")
{
    /// <summary>The header name as lower-case Latin-1 bytes, for byte-wise look-ups without a string per request.</summary>
    public byte[] NameBytes { get; init; } = [];
}
