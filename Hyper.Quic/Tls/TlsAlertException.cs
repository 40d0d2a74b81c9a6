namespace Hyper.Quic.Tls;

/// <summary>
/// A fatal handshake error: the peer sent something TLS 1.3 forbids. The connection closes with
/// <see cref="TransportErrorCode"/>, a CRYPTO_ERROR in 0x0100..0x01ff (RFC 9001 §4.8, §20.1 of RFC 9000).
/// </summary>
public sealed class TlsAlertException : Exception
{
    public TlsAlertException(TlsAlert alert, string message)
        : base(message)
    {
        Alert = alert;
    }

    public TlsAlertException(TlsAlert alert, string message, Exception innerException)
        : base(message, innerException)
    {
        Alert = alert;
    }

    public TlsAlert Alert { get; }

    /// <summary>CRYPTO_ERROR: 0x100 plus the alert description (RFC 9001 §4.8).</summary>
    public QuicTransportErrorCode TransportErrorCode => QuicTransportErrorCode.CryptoErrorBase + (ulong)Alert;
}
