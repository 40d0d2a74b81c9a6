namespace Hyper.Http3.Frames;

/// <summary>
/// The server's view of the client's unidirectional streams (RFC 9114 §6.2): reads each one's type prefix, fed in any
/// pieces, and enforces that the control, QPACK encoder and QPACK decoder streams are each opened once and never closed.
/// </summary>
public sealed class UnidirectionalStreams
{
    private readonly Dictionary<long, PrefixState> _pending = [];
    private long? _control;
    private long? _encoder;
    private long? _decoder;

    /// <summary>The peer's control stream id, once it has opened one.</summary>
    public long? ControlStreamId => _control;

    /// <summary>Unknown-type streams seen so far, for flood accounting (catalogue Q-10).</summary>
    public long IgnoredStreams { get; private set; }

    /// <summary>
    /// Feeds the first octets of a unidirectional stream. Returns false while its type varint is incomplete; true with
    /// the stream's role and the octets that made up the type once it is complete (the rest of the input is the
    /// stream's content).
    /// </summary>
    /// <exception cref="Http3Exception">H3_STREAM_CREATION_ERROR: a second control, encoder or decoder stream, or a
    /// push stream from a client.</exception>
    public bool TryReadType(long streamId, ReadOnlySpan<byte> data, out UnidirectionalStreamRole role, out int consumed)
    {
        role = UnidirectionalStreamRole.Ignore;
        consumed = 0;
        _pending.TryGetValue(streamId, out var state);
        var buffer = state.Buffer ?? new byte[VariableLengthInteger.MaxLength];
        var take = Math.Min(data.Length, VariableLengthInteger.MaxLength - state.Length);
        data[..take].CopyTo(buffer.AsSpan(state.Length));
        if (!VariableLengthInteger.TryRead(buffer.AsSpan(0, state.Length + take), out var type, out var typeLength))
        {
            _pending[streamId] = new PrefixState(buffer, state.Length + take);
            return false;
        }

        _pending.Remove(streamId);
        consumed = typeLength - state.Length;
        role = Register(streamId, type);
        return true;
    }

    /// <summary>
    /// The peer closed (FIN or RESET_STREAM) one of its unidirectional streams. Closing a critical one is
    /// H3_CLOSED_CRITICAL_STREAM (RFC 9114 §6.2.1, RFC 9204 §4.2).
    /// </summary>
    public void OnStreamClosed(long streamId)
    {
        _pending.Remove(streamId);
        if (streamId == _control || streamId == _encoder || streamId == _decoder)
        {
            throw new Http3Exception(Http3ErrorCode.ClosedCriticalStream, $"The peer closed critical stream {streamId} (RFC 9114 §6.2.1, RFC 9204 §4.2).");
        }
    }

    private UnidirectionalStreamRole Register(long streamId, long type)
    {
        switch (type)
        {
            case Http3UnidirectionalStreamType.Control:
                // RFC 9114 §6.2.1: "Receipt of a second stream claiming to be a control stream MUST be treated as a
                // connection error of type H3_STREAM_CREATION_ERROR."
                _control = Once(_control, streamId, "control");
                return UnidirectionalStreamRole.Control;

            case Http3UnidirectionalStreamType.QpackEncoder:
                // RFC 9204 §4.2: "Receipt of a second instance of either stream type MUST be treated as a connection
                // error of type H3_STREAM_CREATION_ERROR."
                _encoder = Once(_encoder, streamId, "QPACK encoder");
                return UnidirectionalStreamRole.QpackEncoder;

            case Http3UnidirectionalStreamType.QpackDecoder:
                _decoder = Once(_decoder, streamId, "QPACK decoder");
                return UnidirectionalStreamRole.QpackDecoder;

            case Http3UnidirectionalStreamType.Push:
                // RFC 9114 §6.2.2: "Only servers can push; if a server receives a client-initiated push stream, this
                // MUST be treated as a connection error of type H3_STREAM_CREATION_ERROR."
                throw new Http3Exception(Http3ErrorCode.StreamCreationError, $"Client opened push stream {streamId} (RFC 9114 §6.2.2).");

            default:
                IgnoredStreams++;
                return UnidirectionalStreamRole.Ignore;
        }
    }

    private static long Once(long? existing, long streamId, string name)
    {
        if (existing is not null)
        {
            throw new Http3Exception(Http3ErrorCode.StreamCreationError, $"A second {name} stream ({streamId}, after {existing}) (RFC 9114 §6.2.1, RFC 9204 §4.2).");
        }

        return streamId;
    }

    private readonly record struct PrefixState(byte[]? Buffer, int Length);
}
