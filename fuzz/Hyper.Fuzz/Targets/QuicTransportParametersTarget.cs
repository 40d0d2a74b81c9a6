using Hyper.Quic;
using Hyper.Quic.Transport;

namespace Hyper.Fuzz.Targets;

/// <summary>
/// FZ-05: the QUIC transport parameters decoder (RFC 9000 §18). The first byte's bit 0 says the server sent them;
/// the rest is the extension body. Invariants: only <see cref="QuicTransportException"/> escapes; what decodes
/// encodes again and decodes to the same encoding (no value is read that cannot be written).
/// </summary>
public sealed class QuicTransportParametersTarget : IFuzzTarget
{
    public string Name => "quic-transport-parameters";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        var sentByServer = (input[0] & 1) != 0;
        TransportParameters decoded;
        try
        {
            decoded = TransportParameterCodec.Decode(input[1..], sentByServer);
        }
        catch (QuicTransportException)
        {
            // TRANSPORT_PARAMETER_ERROR (RFC 9000 §7.4): the handshake fails with it.
            return;
        }

        var encoded = TransportParameterCodec.Encode(decoded);
        var again = TransportParameterCodec.Encode(TransportParameterCodec.Decode(encoded, sentByServer));
        if (!encoded.AsSpan().SequenceEqual(again))
            throw new FuzzInvariantException("decoded transport parameters do not survive encode, decode, encode");
    }
}
