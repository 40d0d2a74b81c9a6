namespace Hyper.Http3.Qpack;

/// <summary>What <see cref="QpackDecoder.DecodeFieldSection"/> did with a section.</summary>
public enum FieldSectionStatus
{
    /// <summary>Every field line went to the sink.</summary>
    Decoded,

    /// <summary>
    /// The section needs dynamic table entries that have not arrived (RFC 9204 §2.1.2). The decoder kept a copy; the
    /// stream must wait until <see cref="QpackDecoder.TryTakeUnblockedStream"/> names it, then call
    /// <see cref="QpackDecoder.DecodeUnblocked"/>.
    /// </summary>
    Blocked,
}
