namespace Hyper.Http2.Hpack;

/// <summary>
/// The header block decodes to more fields, or more octets, than the limits allow. Raised while decoding, before the
/// offending field is materialised, so an HPACK bomb (CVE-2016-6581) or a flood of tiny fields (CVE-2019-9516,
/// CVE-2026-49975) costs no more than the limit. The block is abandoned mid-way, so the HPACK context is lost
/// and this too ends the connection.
/// </summary>
public sealed class HeaderListTooLargeException : HpackDecodingException
{
    public HeaderListTooLargeException(HpackDecodingReason reason, int fieldCount, long size)
        : base(reason, Describe(reason, fieldCount, size))
    {
        FieldCount = fieldCount;
        Size = size;
    }

    /// <summary>The number of fields counted, the offending one included.</summary>
    public int FieldCount { get; }

    /// <summary>
    /// The header list size counted so far (RFC 9113 §6.5.2: name + value + 32 per field), including what is known of
    /// the offending field (its overhead and any lengths read before the limit tripped).
    /// </summary>
    public long Size { get; }

    private static string Describe(HpackDecodingReason reason, int fieldCount, long size) =>
        reason == HpackDecodingReason.TooManyFields
            ? $"Header block has more fields than allowed (field {fieldCount})."
            : $"Header list exceeds the size limit (at least {size} octets at field {fieldCount}).";
}
