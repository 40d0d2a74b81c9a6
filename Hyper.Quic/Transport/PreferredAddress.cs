using System.Net;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Transport;

/// <summary>
/// The server's preferred_address transport parameter (RFC 9000 §18.2, §9.6): an IPv4 and an IPv6 address with
/// ports (all-zero when that family is not offered), a connection ID of 1..20 bytes, and its stateless reset token.
/// </summary>
public sealed record PreferredAddress(
    IPAddress IPv4Address, ushort IPv4Port, IPAddress IPv6Address, ushort IPv6Port,
    ConnectionId ConnectionId, ReadOnlyMemory<byte> StatelessResetToken);
