using System.Buffers;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// What a connection driver keeps between reads: the bytes the protocol has not consumed yet, to be fed again with
/// the next read. Its length is what the server holds for a client, so the targets bound it.
/// </summary>
internal sealed class ReceiveBuffer
{
    private byte[] _bytes = new byte[256];
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_end + data.Length > _bytes.Length)
        {
            var grown = new byte[Math.Max(_bytes.Length * 2, Length + data.Length)];
            _bytes.AsSpan(_start, Length).CopyTo(grown);
            _end = Length;
            _start = 0;
            _bytes = grown;
        }
        data.CopyTo(_bytes.AsSpan(_end));
        _end += data.Length;
    }

    public ReadOnlySequence<byte> Sequence => new(_bytes, _start, Length);

    /// <summary>Drops what the protocol consumed, given the position it returned in <see cref="Sequence"/>.</summary>
    public void Consume(ReadOnlySequence<byte> fed, SequencePosition position) => _start += (int)fed.Slice(fed.Start, position).Length;
}
