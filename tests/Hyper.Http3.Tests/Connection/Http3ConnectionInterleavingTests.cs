using System.Buffers;
using System.Text;
using Hyper.Core.Protocols;
using Hyper.Http3.Frames;
using Hyper.Http3.Tests.Support;
using static Hyper.Http3.Tests.Support.Http3TestPeer;

namespace Hyper.Http3.Tests.Connection;

/// <summary>Several streams at once, in the orders QUIC may deliver them.</summary>
public sealed class Http3ConnectionInterleavingTests
{
    [Fact]
    public void HigherStreamFirst_BothAreServed()
    {
        // QUIC opens lower ids implicitly (RFC 9000 §3.2), and their bytes may come later.
        var peer = new Http3TestPeer();
        peer.Feed(8, Get("/eight"), fin: true);
        peer.Feed(0, Get("/zero"), fin: true);
        peer.Feed(4, Get("/four"), fin: true);
        peer.Events.OfType<RequestReceived>().Select(r => Encoding.ASCII.GetString(r.Head.RawPath.Span)).Should().Equal("/eight", "/zero", "/four");
        peer.Closed.Should().BeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void StreamsInterleavedInRandomPieces_EachRequestIsWhole(int seed)
    {
        var random = new Random(seed);
        var control = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteStreamType(control, 0);
        Http3FrameWriter.WriteSettings(control, new Http3Settings { MaxFieldSectionSize = 4096 });
        var streams = new Dictionary<long, byte[]> { [ClientControlStream] = control.WrittenSpan.ToArray() };
        var bodies = new Dictionary<long, string>();
        for (long id = 0; id < 40; id += 4)
        {
            var body = new string((char)('a' + id / 4), random.Next(0, 3000));
            bodies[id] = body;
            streams[id] = [.. Request("POST", $"/{id}", ("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                .. Data(body[..(body.Length / 3)]), .. Frame(0x21 + 0x1f * id, [9]), .. Data(body[(body.Length / 3)..]),
                .. Headers(("x-id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        }

        var peer = new Http3TestPeer();
        var offsets = streams.Keys.ToDictionary(id => id, _ => 0);
        while (true)
        {
            var open = offsets.Where(o => o.Value < streams[o.Key].Length).Select(o => o.Key).ToArray();
            if (open.Length == 0) break;
            var id = open[random.Next(open.Length)];
            var take = Math.Min(random.Next(1, 700), streams[id].Length - offsets[id]);
            var piece = streams[id].AsSpan(offsets[id], take).ToArray();
            offsets[id] += take;
            peer.Feed(id, piece, fin: id != ClientControlStream && offsets[id] == streams[id].Length);
        }

        peer.Closed.Should().BeNull(peer.Closed?.Reason);
        foreach (var (id, body) in bodies)
        {
            peer.Body(id).Should().Be(body, $"stream {id}");
            peer.Single<RequestBodyEnded>(id).Trailers!.Single().Value.ToArray().Should().Equal(Encoding.ASCII.GetBytes(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void ClosedStreamIds_KeepOnlyWhatIsAboveTheClosedPrefix()
    {
        var closed = new ClosedStreamIds();
        closed.Add(8);
        closed.Add(4);
        closed.Contains(0).Should().BeFalse();
        closed.Contains(8).Should().BeTrue();
        closed.Count.Should().Be(2);
        closed.Add(0);
        closed.Count.Should().Be(0, "0, 4 and 8 form a prefix now");
        closed.Contains(4).Should().BeTrue();
        closed.Contains(12).Should().BeFalse();
    }
}
