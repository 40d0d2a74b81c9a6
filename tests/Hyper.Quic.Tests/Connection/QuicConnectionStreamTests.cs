using Hyper.Quic.Connection;
using Hyper.Quic.Tls;

namespace Hyper.Quic.Tests.Connection;

public sealed class QuicConnectionStreamTests
{
    private static QuicTestNetwork Established(QuicConnectionOptions? options = null, TestQuicClient? client = null, bool echo = true)
    {
        var network = new QuicTestNetwork(options, client) { Echo = echo };
        network.Start();
        network.RunUntil(() => network.Client.HandshakeDoneReceived).Should().BeTrue();
        return network;
    }

    private static byte[] Pattern(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    [Fact]
    public void Echo_TwoHundredKilobytes_ArrivesIntact()
    {
        using var network = Established();
        var data = Pattern(200_000);

        network.Client.SendStream(0, data, fin: true);

        network.RunUntil(() => network.Client.Streams.TryGetValue(0, out var s) && s.IsComplete).Should().BeTrue();
        network.Client.Streams[0].Data.Should().Equal(data);
        network.ServerFinished.Should().Contain(0UL);
        network.Client.CloseReceived.Should().BeNull();
    }

    [Fact]
    public void Echo_SeveralStreamsAtOnce_EachIntact()
    {
        using var network = Established();
        var payloads = Enumerable.Range(0, 5).ToDictionary(i => (ulong)(i * 4), i => Pattern(10_000 + i));

        foreach (var (id, data) in payloads) network.Client.SendStream(id, data, fin: true);

        network.RunUntil(() => payloads.Keys.All(id => network.Client.Streams.TryGetValue(id, out var s) && s.IsComplete)).Should().BeTrue();
        foreach (var (id, data) in payloads) network.Client.Streams[id].Data.Should().Equal(data);
    }

    [Fact]
    public void ServerStream_OpenedByServer_UsesServerInitiatedIds()
    {
        using var network = Established(echo: false);

        var bidi = network.Server!.OpenStream(bidirectional: true);
        var uni = network.Server.OpenStream(bidirectional: false);
        network.Server.Write(bidi!.Value, "bidi"u8, fin: true).Should().BeTrue();
        network.Server.Write(uni!.Value, "uni"u8, fin: true).Should().BeTrue();
        network.DrainServer();

        bidi.Should().Be(1UL);
        uni.Should().Be(3UL);
        network.RunUntil(() => network.Client.Streams.TryGetValue(3, out var s) && s.IsComplete && network.Client.Streams.TryGetValue(1, out var b) && b.IsComplete).Should().BeTrue();
        network.Client.Streams[1].Data.Should().Equal("bidi"u8.ToArray());
        network.Client.Streams[3].Data.Should().Equal("uni"u8.ToArray());
    }

    [Fact]
    public void FlowControl_ApplicationReads_GrantMoreStreamAndConnectionCredit()
    {
        var options = QuicTestNetwork.DefaultOptions(o => { o.StreamReceiveWindow = 16_000; o.ConnectionReceiveWindow = 40_000; });
        using var network = Established(options, echo: false);
        network.ServerReads = false;

        // Exactly the stream window: allowed, and nothing is granted while the application does not read.
        network.Client.SendStream(0, Pattern(16_000), fin: false);
        network.Settle(500_000);
        network.Client.MaxStreamData.Should().NotContainKey(0UL);

        network.ReadStream(0);
        network.DrainServer();
        network.RunUntil(() => network.Client.MaxStreamData.ContainsKey(0)).Should().BeTrue();

        // RFC 9000 §4.2: the new limit is what was read plus the window.
        network.Client.MaxStreamData[0].Should().Be(32_000UL);
        network.ServerReceived[0].Length.Should().Be(16_000);

        // The connection window (40 000) is more than half used after 24 000 more bytes: MAX_DATA follows the reads.
        network.Client.SendStream(0, Pattern(16_000), fin: false);
        network.Settle(500_000);
        network.ReadStream(0);
        network.DrainServer();
        network.RunUntil(() => network.Client.MaxData > 0).Should().BeTrue();
        network.Client.MaxData.Should().Be(32_000UL + 40_000UL);
    }

    [Fact]
    public void FlowControl_PeerExceedingStreamWindow_IsFlowControlError()
    {
        var options = QuicTestNetwork.DefaultOptions(o => o.StreamReceiveWindow = 16_000);
        using var network = Established(options, echo: false);
        network.ServerReads = false;

        network.Client.SendStream(0, Pattern(16_001), fin: false);

        network.RunUntil(() => network.Client.CloseReceived is not null).Should().BeTrue();
        network.Client.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.FlowControlError);
    }

    [Fact]
    public void FlowControl_ServerSendingIsHeldAtClientsLimit_UntilMaxStreamData()
    {
        var parameters = TestQuicClient.DefaultParameters with { InitialMaxStreamDataBidiLocal = 4_000 };
        using var network = Established(client: new TestQuicClient(parameters: parameters));
        var data = Pattern(20_000);

        network.Client.SendStream(0, data, fin: true);
        network.Settle(500_000);

        // Only the client's initial_max_stream_data_bidi_local came back.
        network.Client.Streams[0].Data.Length.Should().Be(4_000);

        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref Hyper.Quic.Frames.QuicFrameWriter w) => w.TryWriteMaxStreamData(0, 100_000));
        network.FlushClient();
        network.RunUntil(() => network.Client.Streams[0].IsComplete).Should().BeTrue();
        network.Client.Streams[0].Data.Should().Equal(data);
    }

    [Fact]
    public void MaxStreams_ClosedClientStreams_RaiseTheLimit()
    {
        var options = QuicTestNetwork.DefaultOptions(o => o.MaxBidirectionalStreams = 2);
        using var network = Established(options);

        network.Client.SendStream(0, "a"u8, fin: true);
        network.Client.SendStream(4, "b"u8, fin: true);

        // Both streams finish in both directions and the client acknowledges the echo, so two slots come back.
        network.RunUntil(() => network.Client.MaxStreamsBidi >= 4).Should().BeTrue();
        network.Server!.OpenStreamCount.Should().Be(0);
    }

    [Fact]
    public void MaxStreams_StreamBeyondLimit_IsStreamLimitError()
    {
        var options = QuicTestNetwork.DefaultOptions(o => o.MaxBidirectionalStreams = 2);
        using var network = Established(options);

        network.Client.SendStream(8, "third"u8, fin: true);

        network.RunUntil(() => network.Client.CloseReceived is not null).Should().BeTrue();
        network.Client.CloseReceived!.Value.ErrorCode.Should().Be((ulong)QuicTransportErrorCode.StreamLimitError);
    }

    [Fact]
    public void StopSending_ServerAnswersWithResetStreamCarryingTheCode()
    {
        using var network = Established(echo: false);
        network.Client.SendStream(0, "request"u8, fin: false);
        network.RunUntil(() => network.ServerReceived.ContainsKey(0)).Should().BeTrue();
        network.Server!.Write(0, Pattern(5_000), fin: false);
        network.DrainServer();

        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref Hyper.Quic.Frames.QuicFrameWriter w) => w.TryWriteStopSending(0, 77));
        network.FlushClient();

        network.RunUntil(() => network.Client.ResetsReceived.Count > 0).Should().BeTrue();
        network.Client.ResetsReceived[0].StreamId.Should().Be(0UL);
        network.Client.ResetsReceived[0].ErrorCode.Should().Be(77UL);
        network.ServerEvents.OfType<StreamStopSendingRequested>().Should().ContainSingle().Which.ApplicationErrorCode.Should().Be(77UL);
    }

    [Fact]
    public void ResetStream_FromClient_IsReportedToTheApplication()
    {
        using var network = Established(echo: false);
        network.Client.SendStream(0, "partial"u8, fin: false);
        network.Client.SendFrame(EncryptionLevel.OneRtt, (ref Hyper.Quic.Frames.QuicFrameWriter w) => w.TryWriteResetStream(0, 9, 7));
        network.FlushClient();

        network.RunUntil(() => network.ServerEvents.OfType<StreamResetByPeer>().Any()).Should().BeTrue();
        network.ServerEvents.OfType<StreamResetByPeer>().Single().ApplicationErrorCode.Should().Be(9UL);
    }

    [Fact]
    public void ServerStopSending_ReachesTheClient()
    {
        using var network = Established(echo: false);
        network.ServerReads = false;
        network.Client.SendStream(0, "upload"u8, fin: false);
        network.RunUntil(() => network.ServerEvents.OfType<StreamDataAvailable>().Any()).Should().BeTrue();

        network.Server!.StopSending(0, 5);
        network.DrainServer();

        network.RunUntil(() => network.Client.StopSendingReceived.Count > 0).Should().BeTrue();
        network.Client.StopSendingReceived[0].Should().Be((0UL, 5UL));
    }
}
