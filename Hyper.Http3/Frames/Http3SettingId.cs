namespace Hyper.Http3.Frames;

/// <summary>The setting identifiers HTTP/3 knows (RFC 9114 §7.2.4.1, RFC 9204 §5, RFC 9220 §3, RFC 9297 §2.1.1).</summary>
public static class Http3SettingId
{
    public const long QpackMaxTableCapacity = 0x01;
    public const long MaxFieldSectionSize = 0x06;
    public const long QpackBlockedStreams = 0x07;
    public const long EnableConnectProtocol = 0x08;
    public const long H3Datagram = 0x33;

    /// <summary>
    /// HTTP/2's SETTINGS_ENABLE_PUSH 0x02, MAX_CONCURRENT_STREAMS 0x03, INITIAL_WINDOW_SIZE 0x04 and MAX_FRAME_SIZE 0x05,
    /// which have no HTTP/3 meaning: receiving one is H3_SETTINGS_ERROR (RFC 9114 §7.2.4.1).
    /// </summary>
    public static bool IsReservedHttp2Setting(long id) => id is 0x02 or 0x03 or 0x04 or 0x05;
}
