namespace Hyper.Core.WebSockets;

/// <summary>Close status codes (RFC 6455 §7.4.1 and the IANA registry) and which of them may travel in a Close frame.</summary>
internal static class WebSocketCloseStatus
{
    public const int NormalClosure = 1000;
    public const int GoingAway = 1001;
    public const int ProtocolError = 1002;
    public const int UnsupportedData = 1003;

    /// <summary>Reported locally when a Close frame carried no code; never sent (RFC 6455 §7.4.1).</summary>
    public const int NoStatusReceived = 1005;

    /// <summary>Reported locally when the connection ended without a Close frame; never sent (RFC 6455 §7.4.1).</summary>
    public const int AbnormalClosure = 1006;

    public const int InvalidPayloadData = 1007;
    public const int PolicyViolation = 1008;
    public const int MessageTooBig = 1009;
    public const int MandatoryExtension = 1010;
    public const int InternalError = 1011;

    /// <summary>Reported locally when the TLS handshake failed; never sent (RFC 6455 §7.4.1).</summary>
    public const int TlsHandshakeFailure = 1015;

    /// <summary>
    /// True when <paramref name="code"/> may appear in a Close frame: the defined codes 1000–1003 and 1007–1011,
    /// the IANA-registered 1012–1014, and the ranges for libraries (3000–3999) and applications (4000–4999).
    /// 1004 is reserved, 1005/1006/1015 are local-only, everything below 1000 and in 1016–2999 is unassigned
    /// (RFC 6455 §7.4.1, §7.4.2).
    /// </summary>
    public static bool IsValidOnWire(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
