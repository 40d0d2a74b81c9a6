using System.Buffers;
using Hyper.Http3.Qpack;

namespace Hyper.Http3.Tests.Support;

internal static class DecoderStream
{
    /// <summary>What the decoder would write on its decoder stream now, as hex.</summary>
    public static string Flush(QpackDecoder decoder)
    {
        var output = new ArrayBufferWriter<byte>();
        decoder.WriteDecoderStreamInstructions(output);
        return Hex.Format(output.WrittenSpan);
    }
}
