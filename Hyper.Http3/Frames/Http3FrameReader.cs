namespace Hyper.Http3.Frames;

/// <summary>
/// Reads the frames of one HTTP/3 stream (RFC 9114 §7.1) from its bytes, fed in any pieces, and enforces which frames
/// may appear on it and in what order.
/// </summary>
/// <remarks>
/// <para>Call <see cref="Read"/> with the unread input until it returns <see cref="Http3FrameEventKind.NeedMoreData"/>;
/// each call consumes some octets and returns at most one event. DATA payloads are handed out as they arrive, straight
/// from the input, never buffered. HEADERS and SETTINGS payloads are buffered until complete, within
/// <see cref="Http3FrameReaderOptions"/>, checked on the frame header before any payload is kept. GOAWAY, CANCEL_PUSH
/// and MAX_PUSH_ID carry exactly one varint. Unknown and grease types are skipped without buffering and counted
/// (<see cref="SkippedFrames"/>, <see cref="SkippedOctets"/>) so the connection can judge a flood.</para>
/// <para>Errors are <see cref="Http3Exception"/>s; after one the reader must not be used again.</para>
/// </remarks>
public sealed class Http3FrameReader
{
    private const int MaxFrameHeaderLength = 2 * VariableLengthInteger.MaxLength;

    private readonly Http3StreamKind _kind;
    private readonly Http3FrameReaderOptions _options;
    private readonly byte[] _header = new byte[MaxFrameHeaderLength];
    private int _headerLength;
    private Mode _mode;
    private long _type;
    private long _remaining;
    private byte[] _payload = [];
    private int _payloadLength;
    private RequestState _requestState;
    private bool _settingsSeen;
    private bool _pendingEmpty; // a HEADERS or SETTINGS frame of length 0: complete as soon as its header is read

    public Http3FrameReader(Http3StreamKind kind, Http3FrameReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _kind = kind;
        _options = options;
    }

    /// <summary>Unknown or grease frames skipped so far.</summary>
    public long SkippedFrames { get; private set; }

    /// <summary>Payload octets of skipped frames so far.</summary>
    public long SkippedOctets { get; private set; }

    /// <summary>The capacity of the payload buffer, for tests of its bound.</summary>
    internal int PayloadCapacity => _payload.Length;

    /// <summary>Whether a request stream has received its trailers (no DATA or HEADERS may follow).</summary>
    public bool TrailersReceived => _requestState == RequestState.Trailers;

    /// <summary>Whether a request stream has received its request HEADERS.</summary>
    public bool HeadersReceived => _requestState != RequestState.Start;

    /// <summary>Reads from <paramref name="input"/>; see the remarks.</summary>
    /// <param name="input">Unread stream octets.</param>
    /// <param name="consumed">Octets of <paramref name="input"/> consumed.</param>
    /// <param name="payload">For Data: the octets; for Headers and Settings: the whole payload. Valid until the next call.</param>
    /// <param name="value">For GoAway, CancelPush and MaxPushId: the id.</param>
    public Http3FrameEventKind Read(ReadOnlySpan<byte> input, out int consumed, out ReadOnlySpan<byte> payload, out long value)
    {
        consumed = 0;
        payload = default;
        value = 0;

        while (true)
        {
            switch (_mode)
            {
                case Mode.Header:
                    if (consumed == input.Length) return Http3FrameEventKind.NeedMoreData;
                    consumed += ReadHeader(input[consumed..]);
                    if (_pendingEmpty)
                    {
                        _pendingEmpty = false;
                        return Complete(out payload, out value);
                    }

                    break;

                case Mode.Data:
                {
                    var take = (int)Math.Min(_remaining, input.Length - consumed);
                    if (take == 0) return Http3FrameEventKind.NeedMoreData;
                    payload = input.Slice(consumed, take);
                    consumed += take;
                    _remaining -= take;
                    if (_remaining == 0) _mode = Mode.Header;
                    return Http3FrameEventKind.Data;
                }

                case Mode.Skip:
                {
                    var take = (int)Math.Min(_remaining, input.Length - consumed);
                    consumed += take;
                    _remaining -= take;
                    SkippedOctets += take;
                    if (_remaining > 0) return Http3FrameEventKind.NeedMoreData;
                    _mode = Mode.Header;
                    break;
                }

                case Mode.Buffer:
                {
                    var take = (int)Math.Min(_remaining, input.Length - consumed);
                    Append(input.Slice(consumed, take));
                    consumed += take;
                    _remaining -= take;
                    if (_remaining > 0) return Http3FrameEventKind.NeedMoreData;
                    _mode = Mode.Header;
                    return Complete(out payload, out value);
                }
            }
        }
    }

    /// <summary>
    /// The stream ended cleanly (FIN). A frame cut short is H3_FRAME_ERROR (RFC 9114 §7.1); a request stream that ends
    /// before its HEADERS is H3_REQUEST_INCOMPLETE (§4.1.2, a stream error).
    /// </summary>
    public void EndOfStream()
    {
        if (_mode != Mode.Header || _headerLength > 0)
        {
            throw new Http3Exception(Http3ErrorCode.FrameError, "The stream ended inside a frame (RFC 9114 §7.1).");
        }

        if (_kind == Http3StreamKind.Request && _requestState == RequestState.Start)
        {
            throw new Http3Exception(Http3ErrorCode.RequestIncomplete, "The request stream ended before its HEADERS (RFC 9114 §4.1.2).", isConnectionError: false);
        }
    }

    // Reads the frame header, held across calls in _header while it is incomplete; returns the input octets used.
    private int ReadHeader(ReadOnlySpan<byte> input)
    {
        var take = Math.Min(input.Length, MaxFrameHeaderLength - _headerLength);
        input[..take].CopyTo(_header.AsSpan(_headerLength));
        var available = _header.AsSpan(0, _headerLength + take);
        if (!VariableLengthInteger.TryRead(available, out var type, out var typeLength) ||
            !VariableLengthInteger.TryRead(available[typeLength..], out var length, out var lengthLength))
        {
            _headerLength += take;
            return take;
        }

        var used = typeLength + lengthLength - _headerLength;
        _headerLength = 0;
        StartFrame(type, length);
        return used;
    }

    private void StartFrame(long type, long length)
    {
        _type = type;
        _remaining = length;
        _payloadLength = 0;
        CheckAllowed(type);

        switch (type)
        {
            case Http3FrameType.Data:
                _mode = length == 0 ? Mode.Header : Mode.Data;
                return;

            case Http3FrameType.Headers:
                if (length > _options.MaxHeadersPayload)
                {
                    throw new Http3Exception(Http3ErrorCode.ExcessiveLoad,
                        $"HEADERS of {length} octets exceeds the {_options.MaxHeadersPayload} we accept (RFC 9114 §4.2.2).", isConnectionError: false);
                }

                break;

            case Http3FrameType.Settings:
                if (length > _options.MaxSettingsPayload)
                {
                    throw new Http3Exception(Http3ErrorCode.ExcessiveLoad, $"SETTINGS of {length} octets exceeds the {_options.MaxSettingsPayload} we accept.");
                }

                break;

            case Http3FrameType.GoAway or Http3FrameType.CancelPush or Http3FrameType.MaxPushId:
                // RFC 9114 §7.2.3, §7.2.6, §7.2.7: the payload is one varint; more or less is H3_FRAME_ERROR (§7.1).
                if (length is 0 or > VariableLengthInteger.MaxLength)
                {
                    throw new Http3Exception(Http3ErrorCode.FrameError, $"Frame 0x{type:x} with a {length}-octet payload cannot hold exactly one varint (RFC 9114 §7.1).");
                }

                break;

            default:
                // RFC 9114 §9: "Implementations MUST discard frames ... that have unknown or unsupported types."
                SkippedFrames++;
                _mode = length == 0 ? Mode.Header : Mode.Skip;
                return;
        }

        _mode = Mode.Buffer;
        if (length == 0)
        {
            _mode = Mode.Header;
            _pendingEmpty = true;
        }
    }

    private void CheckAllowed(long type)
    {
        // RFC 9114 §7.2.8: HTTP/2's frame types are reserved; receiving one is H3_FRAME_UNEXPECTED.
        if (Http3FrameType.IsReservedHttp2Type(type)) throw Unexpected(type, "is an HTTP/2 frame type reserved in HTTP/3 (RFC 9114 §7.2.8)");

        // RFC 9114 §7.2.5: "A client MUST NOT send a PUSH_PROMISE frame. A server MUST treat the receipt of a
        // PUSH_PROMISE frame as a connection error of type H3_FRAME_UNEXPECTED."
        if (type == Http3FrameType.PushPromise) throw Unexpected(type, "is PUSH_PROMISE, which a client may not send (RFC 9114 §7.2.5)");

        if (_kind == Http3StreamKind.Control)
        {
            // RFC 9114 §6.2.1: "If the first frame of the control stream is any other frame type, this MUST be treated
            // as a connection error of type H3_MISSING_SETTINGS."
            if (!_settingsSeen)
            {
                if (type != Http3FrameType.Settings)
                {
                    throw new Http3Exception(Http3ErrorCode.MissingSettings, $"The control stream starts with frame 0x{type:x}, not SETTINGS (RFC 9114 §6.2.1).");
                }

                _settingsSeen = true;
                return;
            }

            // §7.2.4: a second SETTINGS; §7.2.1, §7.2.2: DATA and HEADERS on the control stream.
            if (type is Http3FrameType.Settings or Http3FrameType.Data or Http3FrameType.Headers) throw Unexpected(type, "is not allowed on the control stream here (RFC 9114 §7.2)");
            return;
        }

        // Request streams: §7.2.3, §7.2.4, §7.2.6, §7.2.7 keep control frames off them.
        if (type is Http3FrameType.Settings or Http3FrameType.GoAway or Http3FrameType.CancelPush or Http3FrameType.MaxPushId)
        {
            throw Unexpected(type, "belongs on the control stream (RFC 9114 §7.2)");
        }

        // RFC 9114 §4.1: HEADERS, then DATA*, then optionally one trailing HEADERS; anything else is H3_FRAME_UNEXPECTED.
        switch (type, _requestState)
        {
            case (Http3FrameType.Headers, RequestState.Start):
                _requestState = RequestState.Body;
                break;
            case (Http3FrameType.Headers, RequestState.Body):
                _requestState = RequestState.Trailers;
                break;
            case (Http3FrameType.Data, RequestState.Body):
                break;
            case (Http3FrameType.Data, RequestState.Start):
                throw Unexpected(type, "arrived before the request's HEADERS (RFC 9114 §4.1)");
            case (Http3FrameType.Data or Http3FrameType.Headers, RequestState.Trailers):
                throw Unexpected(type, "arrived after the trailers (RFC 9114 §4.1)");
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        // The buffer grows with what has arrived, never past the frame's declared length, so a frame header alone
        // costs nothing.
        var needed = _payloadLength + data.Length;
        if (needed > _payload.Length)
        {
            var size = (int)Math.Min(_payloadLength + _remaining, Math.Max(needed, Math.Max(256, _payload.Length * 2)));
            var grown = new byte[size];
            _payload.AsSpan(0, _payloadLength).CopyTo(grown);
            _payload = grown;
        }

        data.CopyTo(_payload.AsSpan(_payloadLength));
        _payloadLength += data.Length;
    }

    private Http3FrameEventKind Complete(out ReadOnlySpan<byte> payload, out long value)
    {
        payload = _payload.AsSpan(0, _payloadLength);
        value = 0;
        switch (_type)
        {
            case Http3FrameType.Headers:
                return Http3FrameEventKind.Headers;
            case Http3FrameType.Settings:
                return Http3FrameEventKind.Settings;
        }

        if (!VariableLengthInteger.TryRead(payload, out value, out var length) || length != payload.Length)
        {
            throw new Http3Exception(Http3ErrorCode.FrameError, $"Frame 0x{_type:x} payload is not exactly one varint (RFC 9114 §7.1).");
        }

        payload = default;
        return _type switch
        {
            Http3FrameType.GoAway => Http3FrameEventKind.GoAway,
            Http3FrameType.CancelPush => Http3FrameEventKind.CancelPush,
            _ => Http3FrameEventKind.MaxPushId,
        };
    }

    private static Http3Exception Unexpected(long type, string why) =>
        new(Http3ErrorCode.FrameUnexpected, $"Frame 0x{type:x} {why}.");

    private enum Mode
    {
        Header,
        Data,
        Buffer,
        Skip,
    }

    private enum RequestState
    {
        Start,
        Body,
        Trailers,
    }
}
