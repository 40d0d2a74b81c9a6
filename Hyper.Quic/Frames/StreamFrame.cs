namespace Hyper.Quic.Frames;

/// <summary>A STREAM frame (RFC 9000 §19.8). <see cref="Data"/> points into the decrypted packet.</summary>
public readonly ref struct StreamFrame
{
    internal StreamFrame(ulong streamId, ulong offset, ReadOnlySpan<byte> data, bool fin)
    {
        StreamId = streamId;
        Offset = offset;
        Data = data;
        Fin = fin;
    }

    public ulong StreamId { get; }

    /// <summary>0 when the OFF bit was clear.</summary>
    public ulong Offset { get; }

    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The FIN bit: this frame's end is the stream's final size (§4.5).</summary>
    public bool Fin { get; }
}
