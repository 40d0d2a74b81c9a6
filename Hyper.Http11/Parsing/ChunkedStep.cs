namespace Hyper.Http11.Parsing;

/// <summary>What one <see cref="ChunkedBodyDecoder.Decode"/> call produced.</summary>
internal enum ChunkedStep
{
    /// <summary>More bytes are needed.</summary>
    NeedMore,
    /// <summary>Framing bytes were consumed; call again.</summary>
    Progress,
    /// <summary>Chunk data is in the data out-parameter.</summary>
    Data,
    /// <summary>The body and its trailers are complete.</summary>
    Completed,
}
