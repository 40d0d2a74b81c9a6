namespace Hyper.Quic.Tls;

/// <summary>
/// What CertificateVerify signs (RFC 8446 §4.4.3): 64 spaces, the context string, a zero byte, and the transcript
/// hash up to and including Certificate. The padding and context stop a signature being replayed elsewhere.
/// </summary>
public static class CertificateVerifyContent
{
    private static ReadOnlySpan<byte> ServerContext => "TLS 1.3, server CertificateVerify"u8;

    public static byte[] ForServer(ReadOnlySpan<byte> transcriptHash)
    {
        var content = new byte[64 + ServerContext.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        ServerContext.CopyTo(content.AsSpan(64));
        content[64 + ServerContext.Length] = 0;
        transcriptHash.CopyTo(content.AsSpan(64 + ServerContext.Length + 1));
        return content;
    }
}
