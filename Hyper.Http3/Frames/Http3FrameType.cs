namespace Hyper.Http3.Frames;

/// <summary>The frame types of RFC 9114 §7.2 and §11.2.1.</summary>
public static class Http3FrameType
{
    public const long Data = 0x00;
    public const long Headers = 0x01;
    public const long CancelPush = 0x03;
    public const long Settings = 0x04;
    public const long PushPromise = 0x05;
    public const long GoAway = 0x07;
    public const long MaxPushId = 0x0d;

    /// <summary>
    /// Types HTTP/2 used and HTTP/3 reserves: PRIORITY 0x02, PING 0x06, WINDOW_UPDATE 0x08, CONTINUATION 0x09. Receiving
    /// one is H3_FRAME_UNEXPECTED (RFC 9114 §7.2.8).
    /// </summary>
    public static bool IsReservedHttp2Type(long type) => type is 0x02 or 0x06 or 0x08 or 0x09;

    /// <summary>The grease types 0x1f × N + 0x21 (RFC 9114 §7.2.8): unknown by design, to be skipped.</summary>
    public static bool IsGrease(long type) => type >= 0x21 && (type - 0x21) % 0x1f == 0;
}
