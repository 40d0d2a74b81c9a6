using System.Buffers;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;

namespace Hyper.Http3;

// Graceful shutdown with GOAWAY (RFC 9114 §5.2), in two steps: first the largest id, so requests already on their way
// are still served, then, a grace period later, the first id not served. The connection closes once the last
// request is over.
public sealed partial class Http3Connection
{
    /// <summary>The largest client-initiated bidirectional stream id (RFC 9000 §2.1: 2^62 - 4).</summary>
    public const long MaxRequestStreamId = (1L << 62) - 4;

    private long _goAwayId = long.MaxValue; // requests on streams at or above it are refused
    private long _lastGoAwaySent = long.MaxValue;
    private bool _finalGoAwaySent;
    private long _finalGoAwayDeadline = long.MaxValue;

    /// <summary>The id of the last GOAWAY sent, or null before any.</summary>
    public long? GoAwaySent => _lastGoAwaySent == long.MaxValue ? null : _lastGoAwaySent;

    public long NextDeadline => _shouldClose ? long.MaxValue : _finalGoAwayDeadline;

    public void BeginShutdown(long now, IBufferWriter<byte> output)
    {
        if (_shouldClose || _lastGoAwaySent != long.MaxValue) return;
        Start(now);
        // RFC 9114 §5.2: "a server can send a GOAWAY frame with an identifier of 2^62-4 ... then, after allowing time for
        // any in-flight requests to reach the server, send another GOAWAY".
        SendGoAway(MaxRequestStreamId);
        _finalGoAwayDeadline = MonotonicTime.After(now, _options.GoAwayGrace);
        MaybeFinishShutdown();
    }

    public void OnTimer(long now, IBufferWriter<byte> output)
    {
        if (_shouldClose || now < _finalGoAwayDeadline) return;
        SendFinalGoAway(now);
    }

    /// <summary>The second GOAWAY: the stream after the last one we saw is the first we will not serve.</summary>
    private void SendFinalGoAway(long now)
    {
        if (_finalGoAwaySent || _shouldClose) return;
        Start(now);
        _finalGoAwaySent = true;
        _finalGoAwayDeadline = long.MaxValue;
        SendGoAway(_highestRequestStreamId + 4);
        MaybeFinishShutdown();
    }

    private void SendGoAway(long id)
    {
        // RFC 9114 §5.2: the id of a later GOAWAY must not be greater than an earlier one's.
        id = Math.Min(id, _lastGoAwaySent);
        _lastGoAwaySent = id;
        _goAwayId = id;
        _scratch.ResetWrittenCount();
        Http3FrameWriter.WriteGoAway(_scratch, id);
        Send(ControlStreamId, _scratch.WrittenSpan, fin: false);
    }

    /// <summary>After the final GOAWAY, the connection closes with H3_NO_ERROR once no request is left (§5.2).</summary>
    private void MaybeFinishShutdown()
    {
        if (!_finalGoAwaySent || _shouldClose || _requests.Count > 0) return;
        _actions.Enqueue(new CloseQuicConnection((long)Http3ErrorCode.NoError, "graceful shutdown"));
        _shouldClose = true;
    }
}
