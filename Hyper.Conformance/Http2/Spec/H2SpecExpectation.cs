using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// What the server must do after a case's steps. Each kind mirrors one of h2spec's verifiers, with one deliberate
/// tightening: an error frame carrying a code outside the accepted set fails the case at once (h2spec keeps reading
/// and would accept the close that follows).
/// </summary>
public abstract record H2SpecExpectation
{
    private H2SpecExpectation() { }

    /// <summary>
    /// RFC 9113 §5.4.1: GOAWAY with one of <see cref="Codes"/>, or the connection closed (h2spec's
    /// <c>VerifyConnectionError</c>). <see cref="Http11AnswerAccepted"/> admits an HTTP/1.1 response instead: only for
    /// an invalid preface sent to a cleartext port that also serves HTTP/1.1.
    /// </summary>
    public sealed record ConnectionError(IReadOnlyList<Http2ErrorCode> Codes, bool Http11AnswerAccepted = false) : H2SpecExpectation
    {
        public override string ToString() => $"connection error {string.Join(" or ", Codes)} (GOAWAY or close)";
    }

    /// <summary>
    /// RFC 9113 §5.4.2: RST_STREAM with one of <see cref="Codes"/>; a GOAWAY with one of them or a close is accepted
    /// too, since an endpoint may treat a stream error as a connection error (§5.4), as h2spec's <c>VerifyStreamError</c>.
    /// </summary>
    public sealed record StreamError(IReadOnlyList<Http2ErrorCode> Codes) : H2SpecExpectation
    {
        public override string ToString() => $"stream error {string.Join(" or ", Codes)} (RST_STREAM, GOAWAY or close)";
    }

    /// <summary>The connection is closed (a GOAWAY before the close is allowed).</summary>
    public sealed record ConnectionClosed : H2SpecExpectation
    {
        public override string ToString() => "connection closed";
    }

    /// <summary>
    /// A frame that <see cref="Matches"/>. Frames before it are skipped unless they <see cref="Contradicts"/> it; a
    /// GOAWAY with an error code always contradicts, and so does the close unless <see cref="CloseAccepted"/>.
    /// </summary>
    public sealed record Frame(string What, Func<ReceivedFrame, bool> Matches, Func<ReceivedFrame, bool>? Contradicts = null, bool CloseAccepted = false)
        : H2SpecExpectation
    {
        public override string ToString() => CloseAccepted ? $"{What} (or connection closed)" : What;
    }
}
