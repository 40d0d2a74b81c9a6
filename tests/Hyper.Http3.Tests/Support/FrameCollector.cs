using Hyper.Http3.Frames;

namespace Hyper.Http3.Tests.Support;

/// <summary>Drives a <see cref="Http3FrameReader"/> over pieces of input and records what it produced.</summary>
internal sealed class FrameCollector
{
    private readonly List<byte> _data = [];

    public FrameCollector(Http3StreamKind kind, Http3FrameReaderOptions? options = null) =>
        Reader = new Http3FrameReader(kind, options ?? new Http3FrameReaderOptions());

    public Http3FrameReader Reader { get; }

    /// <summary>Events in order; DATA pieces are merged into one "DATA:hex" entry per run.</summary>
    public List<string> Events { get; } = [];

    public void Feed(ReadOnlySpan<byte> input)
    {
        while (true)
        {
            var kind = Reader.Read(input, out var consumed, out var payload, out var value);
            input = input[consumed..];
            switch (kind)
            {
                case Http3FrameEventKind.NeedMoreData:
                    input.IsEmpty.Should().BeTrue("the reader consumes all input before asking for more");
                    return;
                case Http3FrameEventKind.Data:
                    _data.AddRange(payload.ToArray());
                    break;
                default:
                    FlushData();
                    Events.Add(kind is Http3FrameEventKind.Headers or Http3FrameEventKind.Settings
                        ? $"{kind}:{Hex.Format(payload)}"
                        : $"{kind}:{value}");
                    break;
            }
        }
    }

    public List<string> Finish()
    {
        FlushData();
        return Events;
    }

    private void FlushData()
    {
        if (_data.Count == 0) return;
        Events.Add($"Data:{Hex.Format(_data.ToArray())}");
        _data.Clear();
    }
}
