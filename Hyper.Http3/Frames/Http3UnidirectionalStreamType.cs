namespace Hyper.Http3.Frames;

/// <summary>The unidirectional stream types (RFC 9114 §6.2, RFC 9204 §4.2).</summary>
public static class Http3UnidirectionalStreamType
{
    public const long Control = 0x00;
    public const long Push = 0x01;
    public const long QpackEncoder = 0x02;
    public const long QpackDecoder = 0x03;
}

/// <summary>What the server does with a peer's unidirectional stream, by its type.</summary>
public enum UnidirectionalStreamRole
{
    /// <summary>The peer's control stream: read it with a <see cref="Http3FrameReader"/> of kind Control.</summary>
    Control,

    /// <summary>The peer's QPACK encoder stream: feed it to <c>QpackDecoder.ReceiveEncoderStream</c>.</summary>
    QpackEncoder,

    /// <summary>The peer's QPACK decoder stream: feed it to <c>QpackEncoder.ReceiveDecoderStream</c>.</summary>
    QpackDecoder,

    /// <summary>
    /// An unknown or reserved type: discard its data, or STOP_SENDING with H3_STREAM_CREATION_ERROR (RFC 9114 §6.2:
    /// "Recipients of unknown stream types MUST either abort reading of the stream or discard incoming data").
    /// </summary>
    Ignore,
}
