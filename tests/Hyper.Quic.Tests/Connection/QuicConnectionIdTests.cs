using Hyper.Quic.Connection;
using Hyper.Quic.Frames;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Connection;

public sealed class QuicConnectionIdTests
{
    private static QuicTestNetwork Established()
    {
        var network = new QuicTestNetwork { Echo = true };
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        return network;
    }

    [Fact]
    public void AfterHandshake_ServerIssuesConnectionIdsUpToTheClientsLimit()
    {
        using var network = Established();
        network.RunUntil(() => network.Client.NewConnectionIds.Count >= 3).Should().BeTrue();

        // The client's active_connection_id_limit is 4: the handshake ID plus three more (RFC 9000 §5.1.1).
        network.Client.NewConnectionIds.Select(c => c.Sequence).Should().Equal(1UL, 2UL, 3UL);
        network.Server!.LocalConnectionIds.Should().HaveCount(4);
        network.ServerEvents.OfType<ConnectionIdIssued>().Should().HaveCount(4);
    }

    [Fact]
    public void ClientSwitchesToANewConnectionId_AndRetiresTheOld_ServerReplacesIt()
    {
        using var network = Established();
        network.RunUntil(() => network.Client.NewConnectionIds.Count >= 3).Should().BeTrue();
        var first = network.Server!.SourceConnectionId;

        network.Client.DestinationConnectionId = network.Client.NewConnectionIds[0].Id;
        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref QuicFrameWriter w) => w.TryWriteRetireConnectionId(0));
        network.Client.SendStream(0, "after switch"u8, fin: true);
        network.FlushClient();

        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.Streams[0].Data.Should().Equal("after switch"u8.ToArray());
        network.ServerEvents.OfType<ConnectionIdRetired>().Should().ContainSingle().Which.ConnectionId.Should().Be(first);
        network.RunUntil(() => network.Client.NewConnectionIds.Count >= 4).Should().BeTrue();
        network.Client.NewConnectionIds[3].Sequence.Should().Be(4UL);
    }

    [Fact]
    public void PacketsForAnUnknownConnectionId_AreIgnored()
    {
        using var network = Established();
        network.Client.DestinationConnectionId = [9, 9, 9, 9, 9, 9, 9, 9];
        network.Client.SendStream(0, "lost"u8, fin: true);
        network.FlushClient();

        network.Settle(100_000);
        network.ServerReceived.Should().NotContainKey(0UL);
    }

    [Fact]
    public void PathChallenge_IsAnsweredWithTheSameData()
    {
        using var network = Established();
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8];

        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref QuicFrameWriter w) => w.TryWritePathChallenge(data));
        network.FlushClient();

        network.RunUntil(() => network.Client.PathResponse is not null).Should().BeTrue();
        network.Client.PathResponse.Should().Equal(data);
    }

    [Fact]
    public void KeyUpdateByTheClient_IsFollowedByTheServer()
    {
        using var network = Established();

        network.Client.InitiateKeyUpdate();
        network.Client.SendStream(0, "new keys"u8, fin: true);
        network.FlushClient();

        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.Streams[0].Data.Should().Equal("new keys"u8.ToArray());
        network.Server!.KeyUpdates.Should().Be(1);
    }

    [Fact]
    public void PacketOfTheOldKeyPhase_ArrivingAfterTheUpdate_IsStillProcessed()
    {
        using var network = Established();
        // A STREAM frame (stream 8, "late", FIN) sealed with the current keys but delivered only after the update.
        var late = network.Client.BuildRawOneRtt([0x09, 0x08, .. "late"u8]);

        network.Client.InitiateKeyUpdate();
        network.Client.SendStream(0, "new keys"u8, fin: true);
        network.FlushClient();
        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.InjectToServer(late);

        network.RunUntil(() => network.Client.Streams.TryGetValue(8, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.Streams[8].Data.Should().Equal("late"u8.ToArray());
        network.Server!.KeyUpdates.Should().Be(1);
    }
}
