using System.Buffers;

namespace Hyper.Core.Protocols;

/// <summary>
/// Recognises a protocol by the first bytes a client sends on a cleartext port that several protocols share
/// (HTTP/2 with prior knowledge by its connection preface). It only looks: the bytes stay in the transport and the
/// chosen protocol reads them again. Pure and synchronous, so a protocol assembly can implement it.
/// </summary>
public interface IPrefaceMatcher
{
    /// <summary>
    /// Classifies <paramref name="firstBytes"/> (everything received so far, never consumed). A matcher should say
    /// <see cref="PrefaceMatch.NoMatch"/> as soon as one byte rules its preface out, so that another protocol's
    /// request is not delayed.
    /// </summary>
    PrefaceMatch Match(in ReadOnlySequence<byte> firstBytes);
}
