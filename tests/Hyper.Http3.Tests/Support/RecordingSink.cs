using System.Text;
using Hyper.Http3.Qpack;

namespace Hyper.Http3.Tests.Support;

/// <summary>Collects decoded field lines as "name=value" (a '!' prefix for the never-indexed bit).</summary>
internal sealed class RecordingSink : IFieldLineSink
{
    public List<string> Lines { get; } = [];

    public List<(byte[] Name, byte[] Value)> Fields { get; } = [];

    public void OnFieldLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        Lines.Add((neverIndexed ? "!" : "") + Encoding.Latin1.GetString(name) + "=" + Encoding.Latin1.GetString(value));
        Fields.Add((name.ToArray(), value.ToArray()));
    }
}
