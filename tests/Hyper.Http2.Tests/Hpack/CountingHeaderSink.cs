using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

/// <summary>Counts fields and octets without allocating, so allocation and limit tests measure only the decoder.</summary>
public sealed class CountingHeaderSink : IHeaderSink
{
    public int Count { get; private set; }

    public long Octets { get; private set; }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        Count++;
        Octets += name.Length + value.Length + 32;
    }
}
