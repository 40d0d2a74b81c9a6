using System.Net;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Transport;

/// <summary>
/// Encodes and decodes the quic_transport_parameters extension (RFC 9000 §18): a sequence of (id, length, value),
/// ids and lengths as varints. Decoding checks every rule of §18.2 and §7.3 and raises TRANSPORT_PARAMETER_ERROR;
/// unknown parameters, including the reserved 31 * N + 27 ones, are skipped (§18.1).
/// </summary>
public static class TransportParameterCodec
{
    public const int StatelessResetTokenLength = 16;
    private const ulong MaxStreamCount = 1UL << 60;
    private const ulong MaxAckDelayExclusive = 1UL << 14;

    /// <summary>The encoded size of <paramref name="parameters"/>.</summary>
    public static int GetEncodedLength(TransportParameters parameters)
    {
        return Encode(parameters, Span<byte>.Empty, measureOnly: true);
    }

    /// <summary>Writes the parameters that differ from their defaults; returns the bytes written.</summary>
    public static int Encode(TransportParameters parameters, Span<byte> destination)
    {
        if (destination.Length < GetEncodedLength(parameters)) throw new ArgumentException("The destination is too small.", nameof(destination));
        return Encode(parameters, destination, measureOnly: false);
    }

    public static byte[] Encode(TransportParameters parameters)
    {
        var bytes = new byte[GetEncodedLength(parameters)];
        Encode(parameters, bytes, measureOnly: false);
        return bytes;
    }

    private static int Encode(TransportParameters p, Span<byte> destination, bool measureOnly)
    {
        var output = new Output(destination, measureOnly);
        if (p.OriginalDestinationConnectionId is { } odcid) output.Bytes(TransportParameterId.OriginalDestinationConnectionId, odcid.Span);
        if (p.MaxIdleTimeout != 0) output.Integer(TransportParameterId.MaxIdleTimeout, p.MaxIdleTimeout);
        if (p.StatelessResetToken is { } token)
        {
            if (token.Length != StatelessResetTokenLength) throw new ArgumentException("The stateless reset token is 16 bytes.", nameof(p));
            output.Bytes(TransportParameterId.StatelessResetToken, token.Span);
        }
        if (p.MaxUdpPayloadSize != TransportParameters.DefaultMaxUdpPayloadSize) output.Integer(TransportParameterId.MaxUdpPayloadSize, p.MaxUdpPayloadSize);
        if (p.InitialMaxData != 0) output.Integer(TransportParameterId.InitialMaxData, p.InitialMaxData);
        if (p.InitialMaxStreamDataBidiLocal != 0) output.Integer(TransportParameterId.InitialMaxStreamDataBidiLocal, p.InitialMaxStreamDataBidiLocal);
        if (p.InitialMaxStreamDataBidiRemote != 0) output.Integer(TransportParameterId.InitialMaxStreamDataBidiRemote, p.InitialMaxStreamDataBidiRemote);
        if (p.InitialMaxStreamDataUni != 0) output.Integer(TransportParameterId.InitialMaxStreamDataUni, p.InitialMaxStreamDataUni);
        if (p.InitialMaxStreamsBidi != 0) output.Integer(TransportParameterId.InitialMaxStreamsBidi, p.InitialMaxStreamsBidi);
        if (p.InitialMaxStreamsUni != 0) output.Integer(TransportParameterId.InitialMaxStreamsUni, p.InitialMaxStreamsUni);
        if (p.AckDelayExponent != 3) output.Integer(TransportParameterId.AckDelayExponent, p.AckDelayExponent);
        if (p.MaxAckDelay != 25) output.Integer(TransportParameterId.MaxAckDelay, p.MaxAckDelay);
        if (p.DisableActiveMigration) output.Bytes(TransportParameterId.DisableActiveMigration, []);
        if (p.PreferredAddress is { } preferred) output.PreferredAddress(preferred);
        if (p.ActiveConnectionIdLimit != 2) output.Integer(TransportParameterId.ActiveConnectionIdLimit, p.ActiveConnectionIdLimit);
        if (p.InitialSourceConnectionId is { } iscid) output.Bytes(TransportParameterId.InitialSourceConnectionId, iscid.Span);
        if (p.RetrySourceConnectionId is { } rscid) output.Bytes(TransportParameterId.RetrySourceConnectionId, rscid.Span);
        return output.Length;
    }

    /// <summary>
    /// Decodes the peer's parameters. <paramref name="sentByServer"/> says which side sent them: a client may not send
    /// the server-only parameters, and a server must send original_destination_connection_id (§7.3, §18.2).
    /// </summary>
    public static TransportParameters Decode(ReadOnlySpan<byte> encoded, bool sentByServer)
    {
        var reader = new QuicSpanReader(encoded);
        var seen = 0UL;
        var result = new TransportParameters();
        while (reader.Remaining > 0)
        {
            if (!reader.TryReadVarint(out var id) || !reader.TryReadVarintPrefixedBytes(out var value))
                throw Error("A transport parameter is truncated.");
            // Unknown and reserved (31 * N + 27) parameters are ignored (§18.1); only the known ones are tracked.
            if (id > (ulong)TransportParameterId.RetrySourceConnectionId) continue;

            var parameter = (TransportParameterId)id;
            // §7.4: an endpoint MUST NOT send a parameter more than once.
            if ((seen & (1UL << (int)id)) != 0) throw Error($"{parameter} appears twice.");
            seen |= 1UL << (int)id;

            if (!sentByServer && parameter is TransportParameterId.OriginalDestinationConnectionId or TransportParameterId.StatelessResetToken
                    or TransportParameterId.PreferredAddress or TransportParameterId.RetrySourceConnectionId)
                throw Error($"{parameter} is a server-only parameter (§18.2).");

            result = parameter switch
            {
                TransportParameterId.OriginalDestinationConnectionId => result with { OriginalDestinationConnectionId = ReadConnectionId(parameter, value) },
                TransportParameterId.MaxIdleTimeout => result with { MaxIdleTimeout = ReadInteger(parameter, value) },
                TransportParameterId.StatelessResetToken => result with { StatelessResetToken = ReadToken(parameter, value) },
                TransportParameterId.MaxUdpPayloadSize => result with { MaxUdpPayloadSize = ReadMaxUdpPayloadSize(value) },
                TransportParameterId.InitialMaxData => result with { InitialMaxData = ReadInteger(parameter, value) },
                TransportParameterId.InitialMaxStreamDataBidiLocal => result with { InitialMaxStreamDataBidiLocal = ReadInteger(parameter, value) },
                TransportParameterId.InitialMaxStreamDataBidiRemote => result with { InitialMaxStreamDataBidiRemote = ReadInteger(parameter, value) },
                TransportParameterId.InitialMaxStreamDataUni => result with { InitialMaxStreamDataUni = ReadInteger(parameter, value) },
                TransportParameterId.InitialMaxStreamsBidi => result with { InitialMaxStreamsBidi = ReadStreamCount(parameter, value) },
                TransportParameterId.InitialMaxStreamsUni => result with { InitialMaxStreamsUni = ReadStreamCount(parameter, value) },
                TransportParameterId.AckDelayExponent => result with { AckDelayExponent = ReadAckDelayExponent(value) },
                TransportParameterId.MaxAckDelay => result with { MaxAckDelay = ReadMaxAckDelay(value) },
                TransportParameterId.DisableActiveMigration => result with { DisableActiveMigration = ReadEmpty(parameter, value) },
                TransportParameterId.PreferredAddress => result with { PreferredAddress = ReadPreferredAddress(value) },
                TransportParameterId.ActiveConnectionIdLimit => result with { ActiveConnectionIdLimit = ReadActiveConnectionIdLimit(value) },
                TransportParameterId.InitialSourceConnectionId => result with { InitialSourceConnectionId = ReadConnectionId(parameter, value) },
                _ => result with { RetrySourceConnectionId = ReadConnectionId(parameter, value) },
            };
        }

        // §7.3: both endpoints send initial_source_connection_id, and a server original_destination_connection_id.
        if (result.InitialSourceConnectionId is null) throw Error("initial_source_connection_id is missing.");
        if (sentByServer && result.OriginalDestinationConnectionId is null) throw Error("original_destination_connection_id is missing.");
        return result;
    }

    private static ulong ReadInteger(TransportParameterId parameter, ReadOnlySpan<byte> value)
    {
        // §18: an integer parameter's value is exactly one varint.
        if (!VariableLengthInteger.TryRead(value, out var integer, out var length) || length != value.Length)
            throw Error($"{parameter} is not a single varint.");
        return integer;
    }

    private static ulong ReadMaxUdpPayloadSize(ReadOnlySpan<byte> value)
    {
        var size = ReadInteger(TransportParameterId.MaxUdpPayloadSize, value);
        // §18.2: values below 1200 are invalid.
        if (size < 1200) throw Error("max_udp_payload_size is below 1200.");
        return size;
    }

    private static ulong ReadStreamCount(TransportParameterId parameter, ReadOnlySpan<byte> value)
    {
        var count = ReadInteger(parameter, value);
        // §4.6: a stream limit above 2^60 in a transport parameter is a TRANSPORT_PARAMETER_ERROR.
        if (count > MaxStreamCount) throw Error($"{parameter} exceeds 2^60.");
        return count;
    }

    private static ulong ReadAckDelayExponent(ReadOnlySpan<byte> value)
    {
        var exponent = ReadInteger(TransportParameterId.AckDelayExponent, value);
        // §18.2: values above 20 are invalid.
        if (exponent > 20) throw Error("ack_delay_exponent exceeds 20.");
        return exponent;
    }

    private static ulong ReadMaxAckDelay(ReadOnlySpan<byte> value)
    {
        var delay = ReadInteger(TransportParameterId.MaxAckDelay, value);
        // §18.2: values of 2^14 or greater are invalid.
        if (delay >= MaxAckDelayExclusive) throw Error("max_ack_delay is 2^14 or more.");
        return delay;
    }

    private static ulong ReadActiveConnectionIdLimit(ReadOnlySpan<byte> value)
    {
        var limit = ReadInteger(TransportParameterId.ActiveConnectionIdLimit, value);
        // §18.2: the value must be at least 2.
        if (limit < 2) throw Error("active_connection_id_limit is below 2.");
        return limit;
    }

    private static bool ReadEmpty(TransportParameterId parameter, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty) throw Error($"{parameter} carries a value; it must be empty.");
        return true;
    }

    private static ConnectionId ReadConnectionId(TransportParameterId parameter, ReadOnlySpan<byte> value)
    {
        if (value.Length > ConnectionId.MaxLength) throw Error($"{parameter} is longer than 20 bytes.");
        return new ConnectionId(value);
    }

    private static ReadOnlyMemory<byte> ReadToken(TransportParameterId parameter, ReadOnlySpan<byte> value)
    {
        if (value.Length != StatelessResetTokenLength) throw Error($"{parameter} is not 16 bytes.");
        return value.ToArray();
    }

    private static PreferredAddress ReadPreferredAddress(ReadOnlySpan<byte> value)
    {
        // IPv4 (4) + port (2) + IPv6 (16) + port (2) + CID length (1) + CID + token (16).
        const int fixedLength = 4 + 2 + 16 + 2 + 1 + StatelessResetTokenLength;
        if (value.Length < fixedLength) throw Error("preferred_address is truncated.");
        var cidLength = value[24];
        // §18.2: a zero-length connection ID here is a TRANSPORT_PARAMETER_ERROR; v1 IDs are at most 20 bytes.
        if (cidLength is 0 or > ConnectionId.MaxLength) throw Error("preferred_address carries a connection ID outside 1..20 bytes.");
        if (value.Length != fixedLength + cidLength) throw Error("preferred_address has the wrong length.");
        return new PreferredAddress(
            new IPAddress(value[..4]), ReadPort(value[4..]),
            new IPAddress(value.Slice(6, 16)), ReadPort(value[22..]),
            new ConnectionId(value.Slice(25, cidLength)), value.Slice(25 + cidLength, StatelessResetTokenLength).ToArray());
    }

    private static ushort ReadPort(ReadOnlySpan<byte> bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bytes);

    private static QuicTransportException Error(string message) => new(QuicTransportErrorCode.TransportParameterError, message);

    /// <summary>Counts or writes parameters, so that measuring and encoding share one list.</summary>
    private ref struct Output(Span<byte> destination, bool measureOnly)
    {
        private readonly Span<byte> _destination = destination;

        public int Length { get; private set; }

        public void Integer(TransportParameterId id, ulong value)
        {
            var valueLength = VariableLengthInteger.GetEncodedLength(value);
            Header(id, valueLength);
            if (!measureOnly) VariableLengthInteger.TryWrite(_destination[Length..], value, out _);
            Length += valueLength;
        }

        public void Bytes(TransportParameterId id, ReadOnlySpan<byte> value)
        {
            Header(id, value.Length);
            if (!measureOnly) value.CopyTo(_destination[Length..]);
            Length += value.Length;
        }

        public void PreferredAddress(PreferredAddress address)
        {
            if (address.ConnectionId.Length == 0) throw new ArgumentException("§18.2: a preferred address carries a non-empty connection ID.");
            if (address.StatelessResetToken.Length != StatelessResetTokenLength) throw new ArgumentException("The stateless reset token is 16 bytes.");
            var valueLength = 4 + 2 + 16 + 2 + 1 + address.ConnectionId.Length + StatelessResetTokenLength;
            Header(TransportParameterId.PreferredAddress, valueLength);
            if (!measureOnly)
            {
                var at = _destination[Length..];
                if (!address.IPv4Address.TryWriteBytes(at[..4], out var v4) || v4 != 4) throw new ArgumentException("IPv4Address is not an IPv4 address.");
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(at[4..], address.IPv4Port);
                if (!address.IPv6Address.TryWriteBytes(at.Slice(6, 16), out var v6) || v6 != 16) throw new ArgumentException("IPv6Address is not an IPv6 address.");
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(at[22..], address.IPv6Port);
                at[24] = (byte)address.ConnectionId.Length;
                address.ConnectionId.Span.CopyTo(at[25..]);
                address.StatelessResetToken.Span.CopyTo(at[(25 + address.ConnectionId.Length)..]);
            }
            Length += valueLength;
        }

        private void Header(TransportParameterId id, int valueLength)
        {
            var idLength = VariableLengthInteger.GetEncodedLength((ulong)id);
            var lengthLength = VariableLengthInteger.GetEncodedLength((ulong)valueLength);
            if (!measureOnly)
            {
                VariableLengthInteger.TryWrite(_destination[Length..], (ulong)id, out _);
                VariableLengthInteger.TryWrite(_destination[(Length + idLength)..], (ulong)valueLength, out _);
            }
            Length += idLength + lengthLength;
        }
    }
}
