namespace Hyper.Http11.Parsing;

/// <summary>How a request body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>Neither Content-Length nor Transfer-Encoding, or Content-Length: 0: no body.</summary>
    None,
    /// <summary>Exactly Content-Length bytes (§6.2).</summary>
    ContentLength,
    /// <summary>The chunked transfer coding (§7.1).</summary>
    Chunked,
}
