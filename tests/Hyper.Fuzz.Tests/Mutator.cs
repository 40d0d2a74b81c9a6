using System.Buffers.Binary;

namespace Hyper.Fuzz.Tests;

/// <summary>
/// A small deterministic mutator in the manner of AFL's havoc stage: bit flips, interesting integers at random
/// places, inserted, deleted and duplicated runs, splices of two inputs, truncation. Seeded, so a failing input is
/// the same on every run and its seed and index are enough to find it again.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly long[] Interesting = [0, 1, -1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, int.MaxValue, int.MinValue, 0x3fffffffffffffff, long.MaxValue];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> pool)
    {
        var bytes = new List<byte>(input);
        var rounds = 1 + _random.Next(8);
        for (var i = 0; i < rounds; i++) Apply(bytes, pool);
        return bytes.ToArray();
    }

    private void Apply(List<byte> bytes, IReadOnlyList<byte[]> pool)
    {
        switch (_random.Next(bytes.Count == 0 ? 1 : 8))
        {
            case 0: // insert random bytes
                bytes.InsertRange(_random.Next(bytes.Count + 1), RandomBytes(1 + _random.Next(16)));
                break;
            case 1: // flip a bit
                bytes[_random.Next(bytes.Count)] ^= (byte)(1 << _random.Next(8));
                break;
            case 2: // set a byte
                bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                break;
            case 3: // an interesting integer, 1, 2, 4 or 8 bytes, either byte order
                WriteInteresting(bytes);
                break;
            case 4: // delete a run
            {
                var at = _random.Next(bytes.Count);
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(32)));
                break;
            }
            case 5: // duplicate a run (repeated frames, repeated header lines)
            {
                var at = _random.Next(bytes.Count);
                var run = bytes.GetRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(64)));
                var times = 1 + _random.Next(4);
                for (var t = 0; t < times; t++) bytes.InsertRange(_random.Next(bytes.Count + 1), run);
                break;
            }
            case 6: // splice with another input
            {
                var other = pool[_random.Next(pool.Count)];
                if (other.Length == 0) break;
                var from = _random.Next(other.Length);
                var length = Math.Min(other.Length - from, 1 + _random.Next(128));
                bytes.InsertRange(_random.Next(bytes.Count + 1), other.AsSpan(from, length).ToArray());
                break;
            }
            default: // truncate
            {
                var keep = _random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                break;
            }
        }
    }

    private void WriteInteresting(List<byte> bytes)
    {
        var value = Interesting[_random.Next(Interesting.Length)];
        var width = 1 << _random.Next(4);
        Span<byte> buffer = stackalloc byte[8];
        if (_random.Next(2) == 0) BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        else BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        var slice = _random.Next(2) == 0 ? buffer[(8 - width)..] : buffer[..width];
        var at = _random.Next(bytes.Count);
        for (var i = 0; i < slice.Length && at + i < bytes.Count; i++) bytes[at + i] = slice[i];
    }

    private byte[] RandomBytes(int count)
    {
        var b = new byte[count];
        _random.NextBytes(b);
        return b;
    }
}
