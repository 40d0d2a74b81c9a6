using System.Net;
using Hyper.Quic.Packets;
using Hyper.Quic.Transport;

namespace Hyper.Quic.Tests.Transport;

/// <summary>RFC 9000 §18 and §7.3: encoding, decoding, and every rejection.</summary>
public sealed class TransportParameterCodecTests
{
    private static readonly ConnectionId ClientCid = new([0xc1, 0xc2]);
    private static readonly ConnectionId ServerCid = new([0x51, 0x52, 0x53]);

    private static QuicTransportException Reject(string hex, bool sentByServer)
    {
        var act = () => TransportParameterCodec.Decode(Convert.FromHexString(hex), sentByServer);
        return act.Should().Throw<QuicTransportException>().Which;
    }

    [Fact]
    public void Encode_ClientParameters_ByteForByte()
    {
        var parameters = new TransportParameters
        {
            MaxIdleTimeout = 30_000,
            InitialMaxData = 1 << 20,
            InitialMaxStreamsBidi = 100,
            ActiveConnectionIdLimit = 8,
            InitialSourceConnectionId = ClientCid,
        };

        var bytes = TransportParameterCodec.Encode(parameters);

        // id, length, value per parameter, in id order; defaults are left out.
        Convert.ToHexStringLower(bytes).Should().Be(
            "01" + "04" + "80007530" +
            "04" + "04" + "80100000" +
            "08" + "02" + "4064" +
            "0e" + "01" + "08" +
            "0f" + "02" + "c1c2");
        TransportParameterCodec.GetEncodedLength(parameters).Should().Be(bytes.Length);
    }

    [Fact]
    public void EncodeThenDecode_EveryServerParameter_RoundTrips()
    {
        var token = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var parameters = new TransportParameters
        {
            OriginalDestinationConnectionId = new ConnectionId([1, 2, 3, 4, 5, 6, 7, 8]),
            MaxIdleTimeout = 10_000,
            StatelessResetToken = token,
            MaxUdpPayloadSize = 1452,
            InitialMaxData = 10_000_000,
            InitialMaxStreamDataBidiLocal = 1_000_000,
            InitialMaxStreamDataBidiRemote = 2_000_000,
            InitialMaxStreamDataUni = 3_000_000,
            InitialMaxStreamsBidi = 100,
            InitialMaxStreamsUni = 10,
            AckDelayExponent = 20,
            MaxAckDelay = 16383,
            DisableActiveMigration = true,
            PreferredAddress = new PreferredAddress(
                IPAddress.Parse("192.0.2.1"), 4433, IPAddress.Parse("2001:db8::1"), 4434, new ConnectionId([9, 9, 9, 9]), token),
            ActiveConnectionIdLimit = 8,
            InitialSourceConnectionId = ServerCid,
            RetrySourceConnectionId = new ConnectionId([7]),
        };

        var decoded = TransportParameterCodec.Decode(TransportParameterCodec.Encode(parameters), sentByServer: true);

        decoded.Should().BeEquivalentTo(parameters, options => options
            .ComparingByMembers<TransportParameters>()
            .Using<ReadOnlyMemory<byte>>(ctx => ctx.Subject.ToArray().Should().Equal(ctx.Expectation.ToArray())).WhenTypeIs<ReadOnlyMemory<byte>>()
            .Using<IPAddress>(ctx => ctx.Subject.Should().Be(ctx.Expectation)).WhenTypeIs<IPAddress>()
            .Using<ConnectionId>(ctx => (ctx.Subject == ctx.Expectation).Should().BeTrue()).WhenTypeIs<ConnectionId>());
    }

    [Fact]
    public void Decode_AbsentParameters_TakeRfcDefaults()
    {
        var decoded = TransportParameterCodec.Decode(Convert.FromHexString("0f02c1c2"), sentByServer: false);

        decoded.MaxUdpPayloadSize.Should().Be(65527);
        decoded.AckDelayExponent.Should().Be(3);
        decoded.MaxAckDelay.Should().Be(25);
        decoded.ActiveConnectionIdLimit.Should().Be(2);
        decoded.MaxIdleTimeout.Should().Be(0);
        decoded.DisableActiveMigration.Should().BeFalse();
        decoded.InitialSourceConnectionId.Should().Be(ClientCid);
    }

    [Theory]
    [InlineData("1b00")]           // reserved 31 * 0 + 27, empty
    [InlineData("4039" + "03" + "aabbcc")] // reserved 31 * 1 + 27 = 58
    [InlineData("11" + "08" + "0000000100000001")] // version_information (RFC 9368), not handled here
    [InlineData("1b00" + "1b00")]  // unknown parameters may repeat
    public void Decode_UnknownAndGreaseParameters_AreIgnored(string unknown)
    {
        var decoded = TransportParameterCodec.Decode(Convert.FromHexString(unknown + "0f02c1c2" + "0401" + "20"), sentByServer: false);

        decoded.InitialMaxData.Should().Be(0x20);
    }

    [Theory]
    [InlineData("0f02c1c2" + "0401" + "20" + "0401" + "21")]          // duplicate initial_max_data
    [InlineData("0f02c1c2" + "0f02c1c2")]                              // duplicate initial_source_connection_id
    [InlineData("0f02c1c2" + "0302" + "44af")]                         // max_udp_payload_size 1199
    [InlineData("0f02c1c2" + "0a01" + "15")]                           // ack_delay_exponent 21
    [InlineData("0f02c1c2" + "0b04" + "80004000")]                     // max_ack_delay 2^14
    [InlineData("0f02c1c2" + "0e01" + "01")]                           // active_connection_id_limit 1
    [InlineData("0f02c1c2" + "0e01" + "00")]                           // active_connection_id_limit 0
    [InlineData("0f02c1c2" + "0808" + "d000000000000001")]             // initial_max_streams_bidi above 2^60
    [InlineData("0f02c1c2" + "0908" + "d000000000000001")]             // initial_max_streams_uni above 2^60
    [InlineData("0f02c1c2" + "0402" + "05" + "00")]                    // integer value longer than its varint
    [InlineData("0f02c1c2" + "0402" + "4a")]                           // integer length 2, varint needs 2 but 1 given
    [InlineData("0f02c1c2" + "0c01" + "00")]                           // disable_active_migration with a value
    [InlineData("0f02c1c2" + "04")]                                    // truncated: id without length
    [InlineData("0f02c1c2" + "0405" + "01")]                           // truncated: length past the end
    [InlineData("0f15" + "000102030405060708090a0b0c0d0e0f1011121314")] // 21-byte connection ID
    [InlineData("0401" + "20")]                                        // initial_source_connection_id missing
    public void Decode_InvalidFromClient_IsTransportParameterError(string hex)
    {
        Reject(hex, sentByServer: false).ErrorCode.Should().Be(QuicTransportErrorCode.TransportParameterError);
    }

    [Theory]
    [InlineData("0008" + "0102030405060708")]                          // original_destination_connection_id
    [InlineData("0210" + "000102030405060708090a0b0c0d0e0f")]          // stateless_reset_token
    [InlineData("1001" + "07")]                                        // retry_source_connection_id
    [InlineData("0d2dc0000201115100000000000000000000000000000000115204090909090102030405060708090a0b0c0d0e0f10")] // preferred_address
    public void Decode_ServerOnlyParameterFromClient_IsTransportParameterError(string serverOnly)
    {
        Reject("0f02c1c2" + serverOnly, sentByServer: false).ErrorCode.Should().Be(QuicTransportErrorCode.TransportParameterError);
        // The same bytes from a server pass (given the ODCID a server must send).
        var fromServer = serverOnly.StartsWith("00", StringComparison.Ordinal) ? serverOnly : "0001aa" + serverOnly;
        TransportParameterCodec.Decode(Convert.FromHexString("0f02c1c2" + fromServer), sentByServer: true).Should().NotBeNull();
    }

    [Theory]
    [InlineData("0f02c1c2")]                                           // original_destination_connection_id missing
    [InlineData("0f02c1c2" + "0001aa" + "020f" + "000102030405060708090a0b0c0d0e")] // 15-byte reset token
    [InlineData("0f02c1c2" + "0001aa" + "0d2cc00002011151000000000000000000000000000000001152040909090102030405060708090a0b0c0d0e0f10")] // preferred_address CID length 4 with 3 bytes
    [InlineData("0f02c1c2" + "0001aa" + "0d29c00002011151000000000000000000000000000000001152000102030405060708090a0b0c0d0e0f10")] // preferred_address CID length 0
    [InlineData("0f02c1c2" + "0001aa" + "0d10" + "c0000201115100000000000000000000")] // preferred_address truncated
    public void Decode_InvalidFromServer_IsTransportParameterError(string hex)
    {
        Reject(hex, sentByServer: true).ErrorCode.Should().Be(QuicTransportErrorCode.TransportParameterError);
    }

    [Fact]
    public void Decode_BoundaryValues_AreAccepted()
    {
        var decoded = TransportParameterCodec.Decode(Convert.FromHexString(
            "0f02c1c2" + "0302" + "44b0" + "0a01" + "14" + "0b02" + "7fff" + "0e01" + "02" + "0808" + "d000000000000000"), sentByServer: false);

        (decoded.MaxUdpPayloadSize, decoded.AckDelayExponent, decoded.MaxAckDelay, decoded.ActiveConnectionIdLimit, decoded.InitialMaxStreamsBidi)
            .Should().Be((1200UL, 20UL, 16383UL, 2UL, 1UL << 60));
    }

    [Fact]
    public void Encode_EmptyPreferredAddressConnectionId_Throws()
    {
        var parameters = new TransportParameters
        {
            PreferredAddress = new PreferredAddress(IPAddress.Any, 0, IPAddress.IPv6Any, 0, ConnectionId.Empty, new byte[16]),
        };

        var act = () => TransportParameterCodec.Encode(parameters);

        act.Should().Throw<ArgumentException>();
    }
}
