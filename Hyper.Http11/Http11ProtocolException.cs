namespace Hyper.Http11;

/// <summary>
/// Raised where a parsing rule is checked and caught by <see cref="Http11Connection"/>, which turns it into
/// one <c>RequestRejected</c> event. It never leaves the assembly.
/// </summary>
internal sealed class Http11ProtocolException(Http11RejectReason reason, string detail) : Exception(detail)
{
    public Http11RejectReason Reason { get; } = reason;

    public int StatusCode => Reason.StatusCode();
}
