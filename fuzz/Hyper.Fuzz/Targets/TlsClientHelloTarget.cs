using Hyper.Quic.Tls;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-05: the TLS 1.3 ClientHello parser of the QUIC handshake (RFC 8446 §4.1.2) over an arbitrary message body.
/// Invariant: only <see cref="TlsAlertException"/> escapes (the handshake fails with that alert).
/// </summary>
public sealed class TlsClientHelloTarget : IFuzzTarget
{
    public string Name => "tls-client-hello";

    public void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            var hello = ClientHello.Parse(input);
            // Touch what the handshake reads next, so lazily built views are exercised too.
            _ = hello.CipherSuites.Count + (hello.KeyShares?.Count ?? 0) + (hello.ApplicationProtocols?.Count ?? 0) + (hello.ServerName?.Length ?? 0);
        }
        catch (TlsAlertException)
        {
        }
    }
}
