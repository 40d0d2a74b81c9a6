namespace Hyper.Quic.Connection;

/// <summary>
/// A sorted set of disjoint, non-adjacent half-open ranges [Start, End) of non-negative integers. It tracks the packet
/// numbers a space has received (for ACK frames) and the stream bytes sent, acknowledged or still to send.
/// </summary>
internal sealed class RangeSet
{
    private readonly List<(long Start, long End)> _ranges = [];

    public int Count => _ranges.Count;

    public bool IsEmpty => _ranges.Count == 0;

    public (long Start, long End) this[int index] => _ranges[index];

    /// <summary>The end of the last range, or 0 when empty.</summary>
    public long Max => _ranges.Count == 0 ? 0 : _ranges[^1].End;

    public void Add(long start, long end)
    {
        if (end <= start) return;
        var i = 0;
        while (i < _ranges.Count && _ranges[i].End < start) i++;
        while (i < _ranges.Count && _ranges[i].Start <= end)
        {
            start = Math.Min(start, _ranges[i].Start);
            end = Math.Max(end, _ranges[i].End);
            _ranges.RemoveAt(i);
        }
        _ranges.Insert(i, (start, end));
    }

    public void Remove(long start, long end)
    {
        if (end <= start) return;
        var i = 0;
        while (i < _ranges.Count)
        {
            var (s, e) = _ranges[i];
            if (e <= start) { i++; continue; }
            if (s >= end) break;
            _ranges.RemoveAt(i);
            if (e > end) _ranges.Insert(i, (end, e));
            if (s < start) _ranges.Insert(i++, (s, start));
            if (e > end) break;
        }
    }

    public bool Contains(long value)
    {
        foreach (var (s, e) in _ranges)
        {
            if (value < s) return false;
            if (value < e) return true;
        }
        return false;
    }

    /// <summary>Whether [start, end) lies entirely inside one range.</summary>
    public bool Covers(long start, long end)
    {
        foreach (var (s, e) in _ranges)
        {
            if (start < s) return false;
            if (start < e) return end <= e;
        }
        return false;
    }

    /// <summary>Drops the lowest ranges until at most <paramref name="maximum"/> remain.</summary>
    public void TrimTo(int maximum)
    {
        if (_ranges.Count > maximum) _ranges.RemoveRange(0, _ranges.Count - maximum);
    }

    public void Clear() => _ranges.Clear();

    public IEnumerable<(long Start, long End)> Overlapping(long start, long end)
    {
        foreach (var range in _ranges)
        {
            if (range.End <= start) continue;
            if (range.Start >= end) yield break;
            yield return (Math.Max(range.Start, start), Math.Min(range.End, end));
        }
    }
}
