namespace Hyper.Http3.Qpack;

/// <summary>
/// Receives the field lines of one field section as <see cref="QpackDecoder"/> decodes them. The spans are valid only
/// during the call: they point into the section, the dynamic table or the decoder's scratch buffer.
/// </summary>
public interface IFieldLineSink
{
    /// <param name="name">The field name as sent; QPACK neither validates nor lower-cases it.</param>
    /// <param name="value">The field value as sent.</param>
    /// <param name="neverIndexed">The 'N' bit (RFC 9204 §4.5.4): an intermediary must keep the field a literal.</param>
    void OnFieldLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed);
}
