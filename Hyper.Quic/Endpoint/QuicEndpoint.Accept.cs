using System.Net;
using System.Security.Cryptography;
using Hyper.Quic.AddressValidation;
using Hyper.Quic.Connection;
using Hyper.Quic.Crypto;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Endpoint;

public sealed partial class QuicEndpoint
{
    /// <summary>The endpoint's own answers (Version Negotiation, Retry, resets, refusals), sent before any connection's datagrams.</summary>
    private readonly Queue<(byte[] Datagram, IPEndPoint Remote)> _stateless;

    /// <summary>A client's Initial for a connection ID we do not route: a new connection, a Retry, or a refusal.</summary>
    private void AcceptInitial(Span<byte> datagram, PacketHeader header, IPEndPoint remote, long now)
    {
        // RFC 9000 §14.1: Initials in datagrams below 1200 bytes are dropped, which also keeps every answer below
        // (Retry, Version Negotiation, CONNECTION_REFUSED) smaller than what provoked it.
        if (datagram.Length < MinimumInitialDatagramSize)
        {
            DatagramsDropped++;
            return;
        }

        RetryValidation? retry = null;
        if (_retryTokens is not null && !header.Token.IsEmpty)
        {
            // Our only tokens are Retry tokens (no NEW_TOKEN): the client must have come back with one.
            Span<byte> address = stackalloc byte[18];
            var status = _retryTokens.Validate(header.Token, AddressBytes(remote, address), TokenClock(now), out var original);
            if (status != RetryTokenStatus.Valid)
            {
                // RFC 9000 §8.1.2: a client will not accept a second Retry, so an invalid Retry token is closed with
                // INVALID_TOKEN at once instead of leaving the client to time out.
                InvalidTokens++;
                SendInitialClose(header, remote, QuicTransportErrorCode.InvalidToken);
                return;
            }
            retry = new RetryValidation(original);
        }
        else if (header.DestinationConnectionId.Length < MinimumClientDestinationConnectionIdLength)
        {
            DatagramsDropped++;
            return;
        }

        // Limits: RFC 9000 §5.2.2 lets a server refuse a connection with CONNECTION_REFUSED.
        if (_entries.Count >= _options.MaxConnections || _handshakes >= _options.MaxHandshakes)
        {
            ConnectionsRefused++;
            SendInitialClose(header, remote, QuicTransportErrorCode.ConnectionRefused);
            return;
        }

        if (retry is null && RetryRequired)
        {
            SendRetry(header, remote, now);
            return;
        }

        QuicConnection connection;
        try
        {
            connection = new QuicConnection(_options.Connection, header.DestinationConnectionId, header.SourceConnectionId, remote, now, retry);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            ConnectionsFailed++;
            return;
        }
        var entry = new Entry(connection);
        _entries.Add(connection, entry);
        _handshakes++;
        // The client keeps using its chosen DCID until our first Initial arrives, then switches to our SCID (§7.2).
        AddRoute(entry, new ConnectionId(header.DestinationConnectionId));
        AddRoute(entry, connection.SourceConnectionId);
        _events.Enqueue(new QuicEndpointEvent(connection, ConnectionAccepted.Instance));
        Deliver(entry, datagram, remote, now);
    }

    private bool RetryRequired => _options.Retry switch
    {
        QuicRetryMode.Always => true,
        QuicRetryMode.Automatic => _handshakes >= _options.RetryHandshakeThreshold,
        _ => false,
    };

    /// <summary>RFC 9000 §6.1, RFC 8999 §6: a long header with a version we do not speak gets our list of versions.</summary>
    private void AnswerUnsupportedVersion(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        // RFC 9000 §6.1: only datagrams that could be a first Initial (1200 bytes and more) are answered, so the
        // answer is always the smaller of the two.
        if (datagram.Length < MinimumInitialDatagramSize || !TryReadInvariantIds(datagram, out var destination, out var source))
        {
            DatagramsDropped++;
            return;
        }
        // A reserved version (0x?a?a?a?a, RFC 9000 §15) next to v1 keeps clients ready for versions they do not know.
        Span<uint> versions = [QuicVersion.Version1, 0x1a2a3a4a | (uint)(RandomNumberGenerator.GetInt32(16) << 4)];
        var packet = new byte[VersionNegotiationPacket.GetLength(source.Length, destination.Length, versions.Length)];
        VersionNegotiationPacket.Write(packet, source, destination, versions, (byte)RandomNumberGenerator.GetInt32(0x40));
        VersionNegotiationsSent++;
        Enqueue(packet, remote);
    }

    /// <summary>The invariant connection IDs of a long header (RFC 8999 §5.1), up to 255 bytes each.</summary>
    private static bool TryReadInvariantIds(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> destination, out ReadOnlySpan<byte> source)
    {
        destination = default;
        source = default;
        var position = 5;
        if (datagram.Length <= position) return false;
        int dcidLength = datagram[position++];
        if (datagram.Length < position + dcidLength + 1) return false;
        destination = datagram.Slice(position, dcidLength);
        position += dcidLength;
        int scidLength = datagram[position++];
        if (datagram.Length < position + scidLength) return false;
        source = datagram.Slice(position, scidLength);
        return true;
    }

    /// <summary>RFC 9000 §8.1.2: a Retry with a new connection ID and a token that vouches for the client's address.</summary>
    private void SendRetry(PacketHeader header, IPEndPoint remote, long now)
    {
        Span<byte> address = stackalloc byte[18];
        Span<byte> token = stackalloc byte[RetryTokenProtector.MaxTokenLength];
        var tokenLength = _retryTokens!.Seal(AddressBytes(remote, address), header.DestinationConnectionId, TokenClock(now), token);
        Span<byte> retrySource = stackalloc byte[_options.Connection.ConnectionIdLength];
        RandomNumberGenerator.Fill(retrySource);
        Span<byte> packet = stackalloc byte[1 + 4 + 1 + ConnectionId.MaxLength + 1 + ConnectionId.MaxLength + RetryTokenProtector.MaxTokenLength + RetryPacket.IntegrityTagLength];
        var length = RetryPacket.Write(packet, QuicVersion.Version1, header.SourceConnectionId, retrySource, token[..tokenLength],
            header.DestinationConnectionId, (byte)RandomNumberGenerator.GetInt32(16));
        RetriesSent++;
        Enqueue(packet[..length].ToArray(), remote);
    }

    /// <summary>
    /// Closes a connection attempt without creating it: one Initial packet with CONNECTION_CLOSE (RFC 9000 §10.2.3,
    /// §19.19), protected with the Initial keys of the client's Destination Connection ID.
    /// </summary>
    private void SendInitialClose(PacketHeader header, IPEndPoint remote, QuicTransportErrorCode code)
    {
        Span<byte> frames = stackalloc byte[16];
        var writer = new QuicFrameWriter(frames);
        writer.TryWriteConnectionClose(code, 0, default);
        var frameLength = writer.BytesWritten;
        const int packetNumberLength = 1;
        var payloadLength = frameLength + PacketAead.TagLength;
        Span<byte> sourceId = stackalloc byte[_options.Connection.ConnectionIdLength];
        RandomNumberGenerator.Fill(sourceId);
        var packet = new byte[PacketHeaderWriter.GetLongHeaderLength(PacketType.Initial, header.SourceConnectionId.Length, sourceId.Length, 0, packetNumberLength) + payloadLength];
        var headerLength = PacketHeaderWriter.WriteLongHeader(packet, PacketType.Initial, QuicVersion.Version1, header.SourceConnectionId, sourceId,
            default, packetNumber: 0, packetNumberLength, payloadLength, out var packetNumberOffset);
        frames[..frameLength].CopyTo(packet.AsSpan(headerLength));
        var (_, server) = InitialSecrets.Derive(header.DestinationConnectionId);
        using (var protection = PacketProtection.Create(PacketKeys.Derive(QuicCipherSuite.Aes128GcmSha256, server)))
            protection.Protect(packet, packetNumberOffset, 0);
        Enqueue(packet, remote);
    }

    /// <summary>
    /// RFC 9000 §10.3: a short-header packet for a connection we do not know is answered with a stateless reset, so a
    /// client whose connection we lost (a restart, a dropped connection) learns it at once instead of timing out.
    /// </summary>
    private void SendStatelessReset(ReadOnlySpan<byte> connectionId, int triggerLength, IPEndPoint remote, long now)
    {
        // §10.3.3: always smaller than the packet that triggered it, so two endpoints cannot reset each other in a
        // loop; §10.3: one byte shorter up to 43 bytes, so that the reset cannot be told from a short packet.
        var length = triggerLength <= 43 ? triggerLength - 1 : RandomNumberGenerator.GetInt32(43, Math.Min(triggerLength, 64));
        if (length < StatelessReset.MinimumDatagramLength || !_resetLimiter.TryTake(now))
        {
            DatagramsDropped++;
            return;
        }
        Span<byte> token = stackalloc byte[StatelessReset.TokenLength];
        StatelessReset.ComputeToken(_options.Connection.StatelessResetKey, connectionId, token);
        var packet = new byte[length];
        StatelessReset.Write(packet, length, token);
        StatelessResetsSent++;
        Enqueue(packet, remote);
    }

    private void Enqueue(byte[] datagram, IPEndPoint remote)
    {
        if (_stateless.Count >= _options.MaxQueuedStatelessDatagrams)
        {
            DatagramsDropped++;
            return;
        }
        _stateless.Enqueue((datagram, remote));
    }

    /// <summary>The client's address and port in the fixed form Retry tokens are bound to.</summary>
    private static ReadOnlySpan<byte> AddressBytes(IPEndPoint remote, Span<byte> buffer)
    {
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        address.TryWriteBytes(buffer, out var written);
        buffer[written] = (byte)(remote.Port >> 8);
        buffer[written + 1] = (byte)remote.Port;
        return buffer[..(written + 2)];
    }

    /// <summary>
    /// Token expiry is measured on the endpoint's monotonic microseconds: the token never leaves this machine's
    /// workers, which share the system's monotonic clock, and the endpoint reads no wall clock.
    /// </summary>
    private static DateTimeOffset TokenClock(long now) => DateTimeOffset.UnixEpoch.AddTicks(Math.Max(0, now) * 10);
}
