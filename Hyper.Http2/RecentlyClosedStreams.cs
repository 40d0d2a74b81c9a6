namespace Hyper.Http2;

/// <summary>
/// The last few closed stream ids and whether we reset them. RFC 9113 §5.4.2 makes a server tolerate frames
/// already in flight on a stream it reset, while a frame on a stream the client closed is a STREAM_CLOSED error
/// (§5.1); a fixed ring keeps that memory bounded whatever the client does.
/// </summary>
internal sealed class RecentlyClosedStreams(int capacity)
{
    private readonly int[] _ids = new int[capacity];
    private readonly bool[] _resetByUs = new bool[capacity];
    private int _next;

    public void Add(int streamId, bool resetByUs)
    {
        for (var i = 0; i < _ids.Length; i++)
        {
            if (_ids[i] == streamId)
            {
                _resetByUs[i] |= resetByUs;
                return;
            }
        }
        _ids[_next] = streamId;
        _resetByUs[_next] = resetByUs;
        _next = (_next + 1) % _ids.Length;
    }

    /// <summary>Null when the id is not remembered; otherwise whether we reset it.</summary>
    public bool? Find(int streamId)
    {
        if (streamId == 0) return null;
        for (var i = 0; i < _ids.Length; i++)
        {
            if (_ids[i] == streamId) return _resetByUs[i];
        }
        return null;
    }
}
