namespace Hyper.Transport.Quic;

/// <summary>
/// The application protocol run on QUIC connections (HTTP/3): which ALPN ids it serves, and one
/// <see cref="IQuicConnectionHandler"/> per connection whose handshake completed.
/// </summary>
public interface IQuicConnectionHandlerFactory
{
    /// <summary>The ALPN ids offered in the handshake, in order of preference (RFC 9001 §8.1), e.g. <c>h3</c>.</summary>
    IReadOnlyList<string> ApplicationProtocols { get; }

    /// <summary>The application error code a connection is closed with when the server stops (H3_NO_ERROR for HTTP/3).</summary>
    ulong NoErrorCode { get; }

    /// <summary>The application error code a connection is closed with when its handler throws (H3_INTERNAL_ERROR).</summary>
    ulong InternalErrorCode { get; }

    /// <summary>Called once the handshake is complete, with the connection the handler drives.</summary>
    IQuicConnectionHandler Create(IQuicConnectionContext connection);
}
