using System.Buffers;

namespace Hyper.Http3.Frames;

/// <summary>
/// The settings one endpoint sends in its SETTINGS frame (RFC 9114 §7.2.4). An absent setting has its default:
/// 0 for the QPACK ones, unlimited field sections, extended CONNECT and datagrams off. Unknown and grease identifiers
/// are skipped on decode (§7.2.4: "MUST be ignored").
/// </summary>
public sealed record Http3Settings
{
    /// <summary>SETTINGS_QPACK_MAX_TABLE_CAPACITY (RFC 9204 §5).</summary>
    public long QpackMaxTableCapacity { get; init; }

    /// <summary>SETTINGS_QPACK_BLOCKED_STREAMS (RFC 9204 §5).</summary>
    public long QpackBlockedStreams { get; init; }

    /// <summary>SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114 §4.2.2); null when not sent (unlimited).</summary>
    public long? MaxFieldSectionSize { get; init; }

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 9220 §3): extended CONNECT, for WebSockets over HTTP/3.</summary>
    public bool EnableConnectProtocol { get; init; }

    /// <summary>SETTINGS_H3_DATAGRAM (RFC 9297 §2.1.1).</summary>
    public bool H3Datagram { get; init; }

    /// <summary>Identifiers skipped because they are unknown or grease, for the flood accounting of catalogue Q-11.</summary>
    public int UnknownSettingCount { get; init; }

    /// <summary>Decodes a SETTINGS payload.</summary>
    /// <exception cref="Http3Exception">H3_SETTINGS_ERROR for a duplicate, an HTTP/2-only identifier or a value out of
    /// range; H3_FRAME_ERROR for a payload that ends inside a pair.</exception>
    public static Http3Settings Decode(ReadOnlySpan<byte> payload)
    {
        var settings = new Http3Settings();
        var seen = new HashSet<long>();
        var unknown = 0;
        while (!payload.IsEmpty)
        {
            if (!VariableLengthInteger.TryRead(payload, out var id, out var idLength) ||
                !VariableLengthInteger.TryRead(payload[idLength..], out var value, out var valueLength))
            {
                throw new Http3Exception(Http3ErrorCode.FrameError, "SETTINGS payload ends inside an identifier/value pair (RFC 9114 §7.1).");
            }

            payload = payload[(idLength + valueLength)..];

            // RFC 9114 §7.2.4: "The same setting identifier MUST NOT occur more than once in the SETTINGS frame."
            if (!seen.Add(id)) throw new Http3Exception(Http3ErrorCode.SettingsError, $"SETTINGS repeats identifier 0x{id:x} (RFC 9114 §7.2.4).");
            if (Http3SettingId.IsReservedHttp2Setting(id))
            {
                throw new Http3Exception(Http3ErrorCode.SettingsError, $"SETTINGS carries HTTP/2-only identifier 0x{id:x} (RFC 9114 §7.2.4.1).");
            }

            settings = id switch
            {
                Http3SettingId.QpackMaxTableCapacity => settings with { QpackMaxTableCapacity = value },
                Http3SettingId.QpackBlockedStreams => settings with { QpackBlockedStreams = value },
                Http3SettingId.MaxFieldSectionSize => settings with { MaxFieldSectionSize = value },
                // RFC 9220 §3 (as RFC 8441 §3) and RFC 9297 §2.1.1: values other than 0 and 1 are errors.
                Http3SettingId.EnableConnectProtocol => settings with { EnableConnectProtocol = Boolean(id, value) },
                Http3SettingId.H3Datagram => settings with { H3Datagram = Boolean(id, value) },
                _ => settings,
            };
            if (id is not (Http3SettingId.QpackMaxTableCapacity or Http3SettingId.QpackBlockedStreams or Http3SettingId.MaxFieldSectionSize
                or Http3SettingId.EnableConnectProtocol or Http3SettingId.H3Datagram))
            {
                unknown++;
            }
        }

        return settings with { UnknownSettingCount = unknown };
    }

    /// <summary>Writes the SETTINGS payload: every setting that differs from its default, in identifier order.</summary>
    public int WritePayload(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var written = 0;
        if (QpackMaxTableCapacity != 0) written += WritePair(output, Http3SettingId.QpackMaxTableCapacity, QpackMaxTableCapacity);
        if (MaxFieldSectionSize is { } size) written += WritePair(output, Http3SettingId.MaxFieldSectionSize, size);
        if (QpackBlockedStreams != 0) written += WritePair(output, Http3SettingId.QpackBlockedStreams, QpackBlockedStreams);
        if (EnableConnectProtocol) written += WritePair(output, Http3SettingId.EnableConnectProtocol, 1);
        if (H3Datagram) written += WritePair(output, Http3SettingId.H3Datagram, 1);
        return written;
    }

    /// <summary>The length of <see cref="WritePayload"/>'s output.</summary>
    public int GetPayloadLength()
    {
        var output = new ArrayBufferWriter<byte>(64);
        return WritePayload(output);
    }

    private static int WritePair(IBufferWriter<byte> output, long id, long value)
    {
        var span = output.GetSpan(2 * VariableLengthInteger.MaxLength);
        var length = VariableLengthInteger.Write(id, span);
        length += VariableLengthInteger.Write(value, span[length..]);
        output.Advance(length);
        return length;
    }

    private static bool Boolean(long id, long value) => value switch
    {
        0 => false,
        1 => true,
        _ => throw new Http3Exception(Http3ErrorCode.SettingsError, $"Setting 0x{id:x} must be 0 or 1, not {value}."),
    };
}
