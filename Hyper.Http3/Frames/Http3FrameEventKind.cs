namespace Hyper.Http3.Frames;

/// <summary>What <see cref="Http3FrameReader.Read"/> produced.</summary>
public enum Http3FrameEventKind
{
    /// <summary>All input is consumed; nothing more until more bytes arrive.</summary>
    NeedMoreData,

    /// <summary>Some DATA payload octets, in order; a frame's payload may come in several pieces.</summary>
    Data,

    /// <summary>A complete HEADERS payload (an encoded field section): the request head, or its trailers.</summary>
    Headers,

    /// <summary>A complete SETTINGS payload; decode it with <see cref="Http3Settings.Decode"/>.</summary>
    Settings,

    /// <summary>GOAWAY with the id in the value.</summary>
    GoAway,

    /// <summary>CANCEL_PUSH with the push id in the value.</summary>
    CancelPush,

    /// <summary>MAX_PUSH_ID with the push id in the value.</summary>
    MaxPushId,
}
