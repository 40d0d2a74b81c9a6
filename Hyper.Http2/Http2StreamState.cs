namespace Hyper.Http2;

/// <summary>Stream states of RFC 9113 §5.1 that a server-side stream passes through once it exists.</summary>
internal enum Http2StreamState
{
    Open,

    /// <summary>The client sent END_STREAM: no more request frames except WINDOW_UPDATE, PRIORITY, RST_STREAM.</summary>
    HalfClosedRemote,

    /// <summary>The server sent END_STREAM: the request body may still arrive.</summary>
    HalfClosedLocal,

    Closed,
}
