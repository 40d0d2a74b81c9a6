namespace Hyper.Http2.Hpack;

/// <summary>
/// Receives the fields of one header block as <see cref="HpackDecoder"/> decodes them. The spans are valid only for
/// the duration of the call (they may point into the decoder's scratch buffer or the input block).
/// </summary>
public interface IHeaderSink
{
    /// <param name="name">The field name, as sent (HPACK does not validate or lower-case it).</param>
    /// <param name="value">The field value, as sent.</param>
    /// <param name="neverIndexed">The field came as a never-indexed literal (RFC 7541 §6.2.3); an intermediary must re-encode it the same way.</param>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed);
}
