using System.Text.Unicode;

namespace Hyper.Core.WebSockets;

/// <summary>
/// Incremental UTF-8 validation (RFC 3629) for text messages (RFC 6455 §8.1): fed the payload in any split,
/// across frame and fragment boundaries, it fails at the first byte that cannot be part of valid UTF-8 — an
/// overlong form, a surrogate, a code point above U+10FFFF, a stray continuation byte — without waiting for the
/// message to end. <see cref="IsComplete"/> then says whether the message ended mid-sequence.
/// </summary>
internal struct Utf8Validator
{
    // Continuation bytes still expected, and the allowed range of the next one (narrower than 80..BF right after
    // E0, ED, F0 and F4: that is how overlongs, surrogates and values above U+10FFFF are refused at once).
    private int _needed;
    private byte _lower;
    private byte _upper;

    /// <summary>True when no multi-byte sequence is open: the text so far is complete, valid UTF-8.</summary>
    public readonly bool IsComplete => _needed == 0;

    /// <summary>Forgets any open sequence (the start of a new message).</summary>
    public void Reset() => _needed = 0;

    /// <summary>Validates the next bytes. False as soon as a byte makes the text invalid; the state is then undefined.</summary>
    public bool Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        // Finish a sequence left open by the previous call.
        while (_needed > 0 && i < data.Length)
        {
            if (!Step(data[i++])) return false;
        }
        if (i == data.Length) return true;

        // The bulk goes through the runtime's vectorised validator; only a sequence cut by the end of the span
        // is left to the byte-wise steps below (which still refuse a tail that can never complete).
        var rest = data[i..];
        var tail = IncompleteTailLength(rest);
        if (!Utf8.IsValid(rest[..^tail])) return false;
        foreach (var b in rest[^tail..])
        {
            if (!Step(b)) return false;
        }
        return true;
    }

    // The length of a sequence at the end of `data` that starts a multi-byte character but is too short to finish
    // it (0–3). A lead byte that is itself invalid counts too, so the byte-wise step reports it.
    private static int IncompleteTailLength(ReadOnlySpan<byte> data)
    {
        for (var back = 1; back <= Math.Min(3, data.Length); back++)
        {
            var b = data[^back];
            if (b < 0x80) return 0;
            if (b >= 0xC0)
            {
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return length > back ? back : 0;
            }
        }
        return 0;
    }

    private bool Step(byte b)
    {
        if (_needed == 0)
        {
            switch (b)
            {
                case < 0x80: return true;
                case >= 0xC2 and <= 0xDF: Open(1, 0x80, 0xBF); return true;
                case 0xE0: Open(2, 0xA0, 0xBF); return true; // no overlong 3-byte forms
                case 0xED: Open(2, 0x80, 0x9F); return true; // no surrogates D800..DFFF
                case >= 0xE1 and <= 0xEF: Open(2, 0x80, 0xBF); return true;
                case 0xF0: Open(3, 0x90, 0xBF); return true; // no overlong 4-byte forms
                case >= 0xF1 and <= 0xF3: Open(3, 0x80, 0xBF); return true;
                case 0xF4: Open(3, 0x80, 0x8F); return true; // nothing above U+10FFFF
                default: return false; // 80..BF stray continuation, C0/C1 overlong, F5..FF out of range
            }
        }
        if (b < _lower || b > _upper) return false;
        _needed--;
        _lower = 0x80;
        _upper = 0xBF;
        return true;
    }

    private void Open(int needed, byte lower, byte upper)
    {
        _needed = needed;
        _lower = lower;
        _upper = upper;
    }
}
