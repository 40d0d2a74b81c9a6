using System.Net;
using Hyper.Core.Protocols;

namespace Hyper.Core.Tests.Protocols;

/// <summary>A connection's peer can move (QUIC migration, RFC 9000 §9) and everything that reads Remote follows.</summary>
public sealed class ConnectionInfoTests
{
    private static readonly IPEndPoint First = new(IPAddress.Parse("192.0.2.1"), 50000);
    private static readonly IPEndPoint Second = new(IPAddress.Parse("198.51.100.7"), 40000);

    [Fact]
    public void Remote_IsTheAddressGivenAtFirst()
    {
        var info = new ConnectionInfo(First, null, IsTls: false);

        info.Remote.Should().Be(First);
        info.Peer.Current.Should().Be(First);
    }

    [Fact]
    public void PeerMoves_RemoteReportsTheNewAddress_AndObserversHearOfIt()
    {
        var info = new ConnectionInfo(First, null, IsTls: true);
        var moves = new List<(EndPoint?, EndPoint)>();
        info.Peer.Moved += (from, to) => moves.Add((from, to));

        info.Peer.MoveTo(Second);

        info.Remote.Should().Be(Second);
        moves.Should().Equal((First, Second));
    }

    [Fact]
    public void PeerMovesToTheSameAddress_NoEvent()
    {
        var info = new ConnectionInfo(First, null, IsTls: false);
        var moves = 0;
        info.Peer.Moved += (_, _) => moves++;

        info.Peer.MoveTo(new IPEndPoint(First.Address, First.Port));

        moves.Should().Be(0);
    }

    [Fact]
    public void CopyMadeWithWith_SharesThePeer()
    {
        // The driver hands an upgraded protocol a copy with another ALPN id; a later move must reach both.
        var info = new ConnectionInfo(First, null, IsTls: false);
        var upgraded = info with { NegotiatedAlpn = "h2c" };

        info.Peer.MoveTo(Second);

        upgraded.Remote.Should().Be(Second);
        upgraded.NegotiatedAlpn.Should().Be("h2c");
    }

    [Fact]
    public void CopyWithANewRemote_HasAPeerOfItsOwn()
    {
        var info = new ConnectionInfo(First, null, IsTls: false);

        var other = info with { Remote = Second };
        info.Peer.MoveTo(new IPEndPoint(IPAddress.Loopback, 1));

        other.Remote.Should().Be(Second);
    }
}
