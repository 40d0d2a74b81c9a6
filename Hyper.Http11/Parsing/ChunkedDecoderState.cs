namespace Hyper.Http11.Parsing;

/// <summary>Where <see cref="ChunkedBodyDecoder"/> is in <c>*chunk last-chunk trailer-section CRLF</c> (RFC 9112 §7.1).</summary>
internal enum ChunkedDecoderState
{
    /// <summary>Reading a chunk-size line.</summary>
    ChunkLine,
    /// <summary>Reading chunk-data.</summary>
    ChunkData,
    /// <summary>Expecting the CRLF after chunk-data.</summary>
    ChunkDataEnd,
    /// <summary>After last-chunk: reading trailer field lines up to the empty line.</summary>
    Trailers,
    /// <summary>The body is complete.</summary>
    Done,
}
