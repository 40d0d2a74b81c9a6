namespace Hyper.Http3.Frames;

/// <summary>Which frame rules a <see cref="Http3FrameReader"/> applies (RFC 9114 §6, §7.2).</summary>
public enum Http3StreamKind
{
    /// <summary>The peer's control stream: SETTINGS first and once, then GOAWAY, CANCEL_PUSH, MAX_PUSH_ID.</summary>
    Control,

    /// <summary>A client-initiated bidirectional stream carrying one request: HEADERS, DATA*, optional trailing HEADERS.</summary>
    Request,
}
