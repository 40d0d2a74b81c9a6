using Hyper.Quic.Connection;

namespace Hyper.Quic.Tests.Connection;

public sealed class QuicConnectionHandshakeTests
{
    [Fact]
    public void Handshake_Completes_AndServerConfirmsWithHandshakeDone()
    {
        using var network = new QuicTestNetwork();
        network.Start();

        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();

        network.Server!.IsHandshakeComplete.Should().BeTrue();
        network.ServerEvents.OfType<ConnectionEstablished>().Should().ContainSingle().Which.ApplicationProtocol.Should().Be("h3");
        network.Client.Tls.IsComplete.Should().BeTrue();
        network.Client.CloseReceived.Should().BeNull();
    }
}
