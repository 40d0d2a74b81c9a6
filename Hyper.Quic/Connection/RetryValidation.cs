using Hyper.Quic.Packets;

namespace Hyper.Quic.Connection;

/// <summary>
/// What a valid Retry token told the endpoint (RFC 9000 §8.1.2): the Destination Connection ID the client used before
/// the Retry, which the connection must echo in original_destination_connection_id (§7.3).
/// </summary>
public sealed record RetryValidation(ConnectionId OriginalDestinationConnectionId);
