namespace Hyper.Quic.Frames;

/// <summary>A CRYPTO frame (RFC 9000 §19.6): TLS handshake bytes at an offset of the level's crypto stream.</summary>
public readonly ref struct CryptoFrame
{
    internal CryptoFrame(ulong offset, ReadOnlySpan<byte> data)
    {
        Offset = offset;
        Data = data;
    }

    public ulong Offset { get; }

    public ReadOnlySpan<byte> Data { get; }
}
