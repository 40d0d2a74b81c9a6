using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

/// <summary>Collects decoded fields as Latin-1 strings, in order, so tests can compare whole header lists.</summary>
public sealed class RecordingHeaderSink : IHeaderSink
{
    public List<(string Name, string Value, bool NeverIndexed)> Fields { get; } = [];

    public IEnumerable<(string Name, string Value)> Pairs => Fields.Select(f => (f.Name, f.Value));

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
        Fields.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value), neverIndexed));
}
