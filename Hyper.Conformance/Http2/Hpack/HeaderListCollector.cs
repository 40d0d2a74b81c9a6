using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Conformance.Http2.Hpack;

/// <summary>Collects a decoded header block as (name, value) strings, UTF-8 decoded as the corpus's JSON strings are.</summary>
public sealed class HeaderListCollector : IHeaderSink
{
    public List<HeaderPair> Headers { get; } = [];

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
        Headers.Add(new HeaderPair(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(value)));
}
