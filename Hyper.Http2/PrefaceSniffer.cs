using System.Buffers;
using Hyper.Core.Protocols;

namespace Hyper.Http2;

/// <summary>
/// Recognises the HTTP/2 client connection preface (RFC 9113 §3.4): on a cleartext port shared with HTTP/1.1 it tells
/// an HTTP/2 prior-knowledge connection (§3.3) from an HTTP/1.1 one by its first bytes, and
/// <see cref="Http2Connection"/> checks its own first bytes with it. It only looks; Core's sniff loop keeps the bytes
/// for the chosen protocol. It says "no match" at the first differing byte, so an HTTP/1.1 request line is never
/// delayed by more than that byte.
/// </summary>
public sealed class PrefaceSniffer : IPrefaceMatcher
{
    /// <summary>The one instance registered for HTTP/2 (the matcher has no state).</summary>
    public static readonly PrefaceSniffer Instance = new();

    private PrefaceSniffer()
    {
    }

    /// <summary>The client connection preface (RFC 9113 §3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public PrefaceMatch Match(in ReadOnlySequence<byte> firstBytes) => Classify(firstBytes);

    /// <summary>
    /// <see cref="PrefaceMatch.Match"/> when the buffer starts with the whole preface, <see cref="PrefaceMatch.NoMatch"/>
    /// when it cannot be the preface, and <see cref="PrefaceMatch.NeedMoreBytes"/> while the bytes so far are a strict
    /// prefix of it.
    /// </summary>
    public static PrefaceMatch Classify(in ReadOnlySequence<byte> buffer)
    {
        var preface = Preface;
        var length = (int)Math.Min(buffer.Length, preface.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(preface[..length])) return PrefaceMatch.NoMatch;
        return length == preface.Length ? PrefaceMatch.Match : PrefaceMatch.NeedMoreBytes;
    }
}
