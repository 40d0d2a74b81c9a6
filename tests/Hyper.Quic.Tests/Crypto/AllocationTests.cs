using System.Security.Cryptography;
using Hyper.Quic.Crypto;
using Hyper.Quic.Frames;
using Hyper.Quic.Packets;

namespace Hyper.Quic.Tests.Crypto;

/// <summary>
/// The per-packet path allocates nothing: protection, removal, header parsing and frame reading. Counted in bytes on
/// this thread, not timed, so load on the machine cannot change the outcome.
/// </summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(QuicCipherSuite.Aes128GcmSha256, false)]
    [InlineData(QuicCipherSuite.Aes256GcmSha384, false)]
    [InlineData(QuicCipherSuite.ChaCha20Poly1305Sha256, false)]
    [InlineData(QuicCipherSuite.Aes128GcmSha256, true)]
    public void ProtectParseUnprotectAndReadFrames_AllocateNothing(QuicCipherSuite suite, bool platformAes)
    {
        var keys = PacketKeys.Derive(suite, RandomNumberGenerator.GetBytes(suite.SecretLength()));
        HeaderProtection headerProtection = platformAes ? new AesEcbHeaderProtection(keys.HeaderProtectionKey) : HeaderProtection.Create(suite, keys.HeaderProtectionKey);
        using var protection = new PacketProtection(new PacketAead(suite, keys.Key, keys.Iv), headerProtection);
        var dcid = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var packet = new byte[1200];

        RoundTrip(protection, dcid, packet, 0); // first call: JIT and lazy platform state
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var pn = 1; pn <= 200; pn++) RoundTrip(protection, dcid, packet, pn);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    private static void RoundTrip(PacketProtection protection, byte[] dcid, byte[] packet, long pn)
    {
        var headerLength = PacketHeaderWriter.WriteShortHeader(packet, dcid, pn, 2, keyPhase: false);
        var writer = new QuicFrameWriter(packet.AsSpan(headerLength, packet.Length - headerLength - PacketAead.TagLength));
        writer.TryWriteAck([new PacketNumberRange(0, pn)], 10);
        writer.TryWriteStream(4, (ulong)pn * 1000, packet.AsSpan(0, 100), fin: false, lastInPacket: false);
        writer.TryWritePadding(writer.Remaining);
        protection.Protect(packet, 9, pn);

        // No assertion library inside the measured loop: it allocates.
        if (!PacketHeaderParser.TryParse(packet, 8, out var header)) throw new InvalidOperationException("Header did not parse.");
        if (!protection.TryUnprotect(packet, header.PacketNumberOffset, pn - 1, out var number, out var offset, out var length) || number != pn)
            throw new InvalidOperationException("Round trip failed.");
        var reader = new QuicFrameReader(packet.AsSpan(offset, length), PacketType.OneRtt, receiverIsServer: true);
        var frames = 0;
        while (reader.TryRead(out var frame))
        {
            if (frame.Type == FrameType.Ack)
                foreach (var _ in frame.Ack.GetRanges()) frames++;
            frames++;
        }
        if (frames != 4) throw new InvalidOperationException($"Read {frames} frames.");
    }
}
