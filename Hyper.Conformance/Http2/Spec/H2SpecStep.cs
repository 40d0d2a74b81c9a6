using Hyper.Conformance.Http2.Client;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>What a case does after the handshake: write bytes, or wait for a frame before writing more.</summary>
public abstract record H2SpecStep
{
    private H2SpecStep() { }

    /// <summary>
    /// Writes the bytes built from the context (its HPACK encoder and the server's SETTINGS) when the step runs,
    /// so header blocks are encoded in the order they go on the wire.
    /// </summary>
    public sealed record Send(Func<H2SpecContext, byte[]> Build) : H2SpecStep;

    /// <summary>Reads frames until one matches (others are skipped, as h2spec's <c>WaitEventByType</c> does).</summary>
    public sealed record AwaitFrame(string What, Func<ReceivedFrame, bool> Matches) : H2SpecStep;
}
