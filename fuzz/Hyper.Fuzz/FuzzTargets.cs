using Hyper.Fuzz.Targets;

namespace Hyper.Fuzz;

/// <summary>Every target, by the name the command line, the corpus folder and the CI smoke use.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new Http11RequestTarget(),
        new Http2ConnectionTarget(),
        new HpackDecoderTarget(),
        new WebSocketConnectionTarget(),
        new WebSocketInflaterTarget(),
        new QuicPacketHeaderTarget(),
        new QuicFrameTarget(),
        new QuicTransportParametersTarget(),
        new TlsClientHelloTarget(),
        new ConfigurationTarget(),
        new BindAddressTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
