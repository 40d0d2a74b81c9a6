using Hyper.Quic.Packets;
using Hyper.Quic.Tests.Crypto;

namespace Hyper.Quic.Tests.Packets;

/// <summary>RFC 9000 §17 and RFC 8999: parsing and writing headers, coalescing, Version Negotiation.</summary>
public sealed class PacketHeaderTests
{
    private static readonly byte[] Dcid = Convert.FromHexString("8394c8f03e515708");
    private static readonly byte[] Scid = Convert.FromHexString("f067a5502a4262b5");

    [Fact]
    public void Parse_A2ClientInitial_ReadsEveryField()
    {
        PacketHeaderParser.TryParse(Rfc9001Vectors.ClientInitialProtected, 8, out var header).Should().BeTrue();

        header.Type.Should().Be(PacketType.Initial);
        header.Version.Should().Be(QuicVersion.Version1);
        header.DestinationConnectionId.ToArray().Should().Equal(Dcid);
        header.SourceConnectionId.IsEmpty.Should().BeTrue();
        header.Token.IsEmpty.Should().BeTrue();
        header.PacketNumberOffset.Should().Be(18);
        header.Packet.Length.Should().Be(1200);
    }

    [Fact]
    public void WriteLongHeader_A2Fields_ProducesA2Header()
    {
        var buffer = new byte[64];

        var length = PacketHeaderWriter.WriteLongHeader(buffer, PacketType.Initial, QuicVersion.Version1, Dcid, [], [],
            packetNumber: 2, packetNumberLength: 4, payloadLength: 1162 + 16, out var pnOffset);

        buffer.AsSpan(0, length).ToArray().Should().Equal(Rfc9001Vectors.ClientInitialHeader);
        pnOffset.Should().Be(18);
    }

    [Fact]
    public void WriteLongHeader_A3Fields_ProducesA3Header()
    {
        var buffer = new byte[64];

        var length = PacketHeaderWriter.WriteLongHeader(buffer, PacketType.Initial, QuicVersion.Version1, [], Scid, [],
            packetNumber: 1, packetNumberLength: 2, payloadLength: 99 + 16, out _);

        buffer.AsSpan(0, length).ToArray().Should().Equal(Rfc9001Vectors.ServerInitialHeader);
    }

    [Theory]
    [InlineData(PacketType.Initial)]
    [InlineData(PacketType.ZeroRtt)]
    [InlineData(PacketType.Handshake)]
    public void WriteThenParse_LongHeaders_RoundTrip(PacketType type)
    {
        var token = type == PacketType.Initial ? new byte[] { 9, 8, 7 } : [];
        var dcid = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var buffer = new byte[200];
        var headerLength = PacketHeaderWriter.WriteLongHeader(buffer, type, QuicVersion.Version1, dcid, Scid, token, 0x1234, 2, 40, out var pnOffset);
        headerLength.Should().Be(PacketHeaderWriter.GetLongHeaderLength(type, dcid.Length, Scid.Length, token.Length, 2));

        PacketHeaderParser.TryParse(buffer, 0, out var header).Should().BeTrue();

        header.Type.Should().Be(type);
        header.DestinationConnectionId.ToArray().Should().Equal(dcid);
        header.SourceConnectionId.ToArray().Should().Equal(Scid);
        header.Token.ToArray().Should().Equal(token);
        header.PacketNumberOffset.Should().Be(pnOffset);
        header.Packet.Length.Should().Be(headerLength + 40);
        buffer[0].Should().Be((byte)(0xc0 | ((int)type << 4) | 0x01));
    }

    [Fact]
    public void WriteThenParse_ShortHeader_RoundTrips()
    {
        var buffer = new byte[64];
        var length = PacketHeaderWriter.WriteShortHeader(buffer, Scid, 0xabcdef, 3, keyPhase: true, spinBit: true);

        length.Should().Be(1 + 8 + 3);
        buffer[0].Should().Be(0x40 | 0x20 | 0x04 | 0x02);
        PacketHeaderParser.TryParse(buffer.AsSpan(0, 30), 8, out var header).Should().BeTrue();
        header.Type.Should().Be(PacketType.OneRtt);
        header.IsLongHeader.Should().BeFalse();
        header.DestinationConnectionId.ToArray().Should().Equal(Scid);
        header.PacketNumberOffset.Should().Be(9);
        header.Packet.Length.Should().Be(30);
    }

    [Theory]
    [InlineData("")]                                     // empty
    [InlineData("c0000000")]                             // version cut short
    [InlineData("c00000000108")]                         // DCID length past the end
    [InlineData("c000000001150102030405060708090a0b0c0d0e0f101112131415000000")] // 21-byte DCID in v1
    [InlineData("8000000001000000")]                     // fixed bit clear
    [InlineData("c00000000100000502")]                   // Initial token length past the end
    [InlineData("c000000001000000444000")]               // Length past the end of the datagram
    [InlineData("c00000000100000000")]                   // Length 0: no packet number
    [InlineData("f0000000010000")]                       // Retry without a 16-byte tag
    [InlineData("0001020304")]                           // short header with the fixed bit clear
    [InlineData("4001")]                                 // short header too short for its DCID
    [InlineData("80000000000000")]                       // Version Negotiation listing no versions
    [InlineData("80000000000000010203")]                 // Version Negotiation with a partial version
    public void Parse_Malformed_ReturnsFalse(string hex)
    {
        PacketHeaderParser.TryParse(Convert.FromHexString(hex), 8, out _).Should().BeFalse();
    }

    [Fact]
    public void Parse_UnknownVersion_ReturnsFalseButVersionIsReadable()
    {
        var packet = Convert.FromHexString("c01a2a3a4a0801020304050607080000");

        PacketHeaderParser.TryParse(packet, 0, out _).Should().BeFalse();
        PacketHeaderParser.TryReadLongHeaderVersion(packet, out var version).Should().BeTrue();
        version.Should().Be(0x1a2a3a4au);
        QuicVersion.IsReservedForNegotiation(version).Should().BeTrue();
    }

    [Fact]
    public void VersionNegotiation_Write_SwapsConnectionIdsAndListsVersions()
    {
        var buffer = new byte[64];
        var clientScid = new byte[] { 0xaa, 0xbb };
        var clientDcid = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };

        var length = VersionNegotiationPacket.Write(buffer, clientScid, clientDcid, [QuicVersion.Version1, 0x0a1a2a3a], unusedBits: 0x15);

        Convert.ToHexStringLower(buffer, 0, length).Should().Be("d50000000002aabb080102030405060708000000010a1a2a3a");
        PacketHeaderParser.TryParse(buffer.AsSpan(0, length), 0, out var header).Should().BeTrue();
        header.Type.Should().Be(PacketType.VersionNegotiation);
        header.DestinationConnectionId.ToArray().Should().Equal(clientScid);
        header.SourceConnectionId.ToArray().Should().Equal(clientDcid);
        VersionNegotiationPacket.ReadVersion(header.Token, 0).Should().Be(QuicVersion.Version1);
        VersionNegotiationPacket.ReadVersion(header.Token, 1).Should().Be(0x0a1a2a3au);
    }

    [Fact]
    public void Coalesced_InitialHandshakeAndShort_AreSplitInOrder()
    {
        var datagram = new byte[300];
        var at = PacketHeaderWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, Dcid, Scid, [], 0, 1, 30, out _) + 30;
        at += PacketHeaderWriter.WriteLongHeader(datagram.AsSpan(at), PacketType.Handshake, QuicVersion.Version1, Dcid, Scid, [], 0, 1, 25, out _) + 25;
        var shortStart = at;
        at += PacketHeaderWriter.WriteShortHeader(datagram.AsSpan(at), Dcid, 0, 1, keyPhase: false) + 20;

        var types = new List<PacketType>();
        var lengths = new List<int>();
        var enumerator = new CoalescedPacketEnumerator(datagram.AsSpan(0, at), 8);
        foreach (var packet in enumerator)
        {
            types.Add(packet.Type);
            lengths.Add(packet.Packet.Length);
        }

        types.Should().Equal(PacketType.Initial, PacketType.Handshake, PacketType.OneRtt);
        lengths[2].Should().Be(at - shortStart);
        lengths.Sum().Should().Be(at);
    }

    [Fact]
    public void Coalesced_PaddingAfterLastPacket_StopsThere()
    {
        var datagram = new byte[100];
        var length = PacketHeaderWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, Dcid, Scid, [], 0, 1, 30, out _) + 30;

        var enumerator = new CoalescedPacketEnumerator(datagram, 8);
        enumerator.MoveNext().Should().BeTrue();
        enumerator.Current.Packet.Length.Should().Be(length);
        enumerator.MoveNext().Should().BeFalse();
        enumerator.UnparsedBytes.Should().Be(100 - length);
    }

    [Fact]
    public void Coalesced_PacketWithOtherDestinationConnectionId_IsSkipped()
    {
        var datagram = new byte[300];
        var at = PacketHeaderWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, Dcid, Scid, [], 0, 1, 30, out _) + 30;
        at += PacketHeaderWriter.WriteLongHeader(datagram.AsSpan(at), PacketType.Handshake, QuicVersion.Version1, [9, 9], Scid, [], 0, 1, 25, out _) + 25;
        at += PacketHeaderWriter.WriteLongHeader(datagram.AsSpan(at), PacketType.Handshake, QuicVersion.Version1, Dcid, Scid, [], 1, 1, 25, out _) + 25;

        var types = new List<PacketType>();
        foreach (var packet in new CoalescedPacketEnumerator(datagram.AsSpan(0, at), 8))
            types.Add(packet.Type);

        types.Should().Equal(PacketType.Initial, PacketType.Handshake);
    }

    [Fact]
    public void Coalesced_TruncatedSecondPacket_YieldsOnlyTheFirst()
    {
        var datagram = new byte[300];
        var at = PacketHeaderWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, Dcid, Scid, [], 0, 1, 30, out _) + 30;
        var second = PacketHeaderWriter.WriteLongHeader(datagram.AsSpan(at), PacketType.Handshake, QuicVersion.Version1, Dcid, Scid, [], 0, 1, 100, out _);

        var count = 0;
        foreach (var _ in new CoalescedPacketEnumerator(datagram.AsSpan(0, at + second + 50), 8)) count++;

        count.Should().Be(1);
    }

    [Fact]
    public void WriteLongHeader_TooLongConnectionIdOrTokenOnHandshake_Throws()
    {
        var buffer = new byte[100];
        var longCid = () => PacketHeaderWriter.WriteLongHeader(buffer, PacketType.Initial, 1, new byte[21], [], [], 0, 1, 20, out _);
        var token = () => PacketHeaderWriter.WriteLongHeader(buffer, PacketType.Handshake, 1, [], [], [1], 0, 1, 20, out _);

        longCid.Should().Throw<ArgumentException>();
        token.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void WriteLongHeader_PayloadOf16KiB_WritesFourByteLengthThatParses()
    {
        var buffer = new byte[20_000];

        var headerLength = PacketHeaderWriter.WriteLongHeader(buffer, PacketType.Handshake, QuicVersion.Version1, Dcid, Scid, [], 9, 1, 16_384, out var pnOffset);

        headerLength.Should().Be(PacketHeaderWriter.GetLongHeaderLength(PacketType.Handshake, 8, 8, 0, 1, lengthFieldLength: 4));
        buffer[pnOffset - 4].Should().Be(0x80, "a four-byte varint");
        PacketHeaderParser.TryParse(buffer, 0, out var header).Should().BeTrue();
        header.Packet.Length.Should().Be(headerLength + 16_384);
    }

    [Fact]
    public void Retry_Write_TooLongConnectionId_Throws()
    {
        var act = () => RetryPacket.Write(new byte[100], QuicVersion.Version1, new byte[21], Scid, [1], Dcid);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ConnectionId_EqualityIsByValue()
    {
        var a = new ConnectionId([1, 2, 3]);
        var b = new ConnectionId([1, 2, 3]);

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a == new ConnectionId([1, 2])).Should().BeFalse();
        ConnectionId.Empty.Length.Should().Be(0);
        a.ToString().Should().Be("010203");
        var act = () => new ConnectionId(new byte[21]);
        act.Should().Throw<ArgumentException>();
    }
}
