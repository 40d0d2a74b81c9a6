using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Hyper.Conformance.Http2.Client;
using Hyper.Http2.Frames;

namespace Hyper.Conformance.Http2.Spec;

/// <summary>
/// Plays one <see cref="H2SpecCase"/> against any HTTP/2 server over cleartext TCP (h2c, prior knowledge), the way
/// h2spec does: connect; handshake (preface and a SETTINGS with INITIAL_WINDOW_SIZE 65535, then read until both the
/// server's SETTINGS — acknowledged at once — and the ACK of ours have arrived); run the steps; read frames until
/// the expectation is met or contradicted, the socket closes, or <see cref="Timeout"/> passes with nothing read.
/// It knows nothing of Hyper. Response bodies are expected to be small: like h2spec, the runner never opens the
/// server's windows beyond the initial 65,535 octets.
/// </summary>
public sealed class H2SpecStyleRunner(EndPoint server)
{
    public H2SpecStyleRunner(string host, int port) : this(new DnsEndPoint(host, port)) { }

    /// <summary>How long each wait for the server may last (h2spec's <c>--timeout</c> default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>:authority</c> of the requests; defaults to the endpoint's host:port.</summary>
    public string? Authority { get; init; }

    public async Task<H2SpecVerdict> RunAsync(H2SpecCase @case, CancellationToken cancellationToken = default)
    {
        var observed = new List<string>();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connecting.CancelAfter(Timeout);
            await socket.ConnectAsync(server, connecting.Token);
        }
        var codec = new Http2ClientCodec();
        var wire = new H2SpecWire(socket, codec, Timeout);
        var settings = new Dictionary<Http2SettingsParameter, uint>();

        if (!@case.SkipHandshake && await HandshakeAsync(wire, settings, observed, cancellationToken) is { } handshakeFailure)
            return new H2SpecVerdict(@case, false, observed, $"handshake failed: {handshakeFailure}");

        var context = new H2SpecContext(codec, settings, Authority ?? DefaultAuthority());
        foreach (var step in @case.Steps)
        {
            switch (step)
            {
                case H2SpecStep.Send send:
                    await wire.SendAsync(send.Build(context), cancellationToken);
                    break;
                case H2SpecStep.AwaitFrame wait:
                    if (await AwaitAsync(wire, wait, observed, cancellationToken) is { } waitFailure)
                        return new H2SpecVerdict(@case, false, observed, $"while waiting for {wait.What}: {waitFailure}");
                    break;
            }
        }
        var failure = await VerifyAsync(wire, @case.Expected, observed, cancellationToken);
        return new H2SpecVerdict(@case, failure is null, observed, failure);
    }

    private string DefaultAuthority() => server switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => "localhost",
    };

    /// <summary>RFC 9113 §3.4: both prefaces, and the SETTINGS of each side acknowledged (§6.5.3). Null on success.</summary>
    private static async Task<string?> HandshakeAsync(H2SpecWire wire, Dictionary<Http2SettingsParameter, uint> settings,
        List<string> observed, CancellationToken cancellationToken)
    {
        await wire.SendAsync([.. Http2ClientCodec.Preface, .. Http2ClientCodec.Settings((Http2SettingsParameter.InitialWindowSize, 65_535))],
            cancellationToken);
        bool serverSettings = false, acknowledged = false;
        while (!(serverSettings && acknowledged))
        {
            var next = await wire.NextAsync(cancellationToken);
            observed.Add(next.ToString());
            if (next.Frame is not { Type: Http2FrameType.Settings } frame)
            {
                if (next.Kind != H2SpecWireEventKind.Frame) return next.ToString();
                continue;
            }
            if (frame.Has(Http2FrameFlags.Ack))
            {
                acknowledged = true;
                continue;
            }
            serverSettings = true;
            for (var at = 0; at + 6 <= frame.Payload.Length; at += 6)
            {
                var id = (Http2SettingsParameter)BinaryPrimitives.ReadUInt16BigEndian(frame.Payload.AsSpan(at));
                settings[id] = BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.AsSpan(at + 2));
            }
            await wire.SendAsync(Http2ClientCodec.SettingsAck(), cancellationToken);
        }
        return null;
    }

    private static async Task<string?> AwaitAsync(H2SpecWire wire, H2SpecStep.AwaitFrame wait, List<string> observed, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await wire.NextAsync(cancellationToken);
            observed.Add(next.ToString());
            if (next.Frame is not { } frame) return next.ToString();
            if (wait.Matches(frame)) return null;
            if (frame.Type == Http2FrameType.GoAway) return $"the server sent {frame}";
        }
    }

    /// <summary>Reads until <paramref name="expected"/> is met (null) or contradicted (the reason).</summary>
    private static async Task<string?> VerifyAsync(H2SpecWire wire, H2SpecExpectation expected, List<string> observed, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await wire.NextAsync(cancellationToken);
            observed.Add(next.ToString());
            switch (next.Kind)
            {
                case H2SpecWireEventKind.Closed:
                    return expected is H2SpecExpectation.Frame { CloseAccepted: false } ? "the connection closed first" : null;
                case H2SpecWireEventKind.Http11Answer:
                    return expected is H2SpecExpectation.ConnectionError { Http11AnswerAccepted: true } ? null : $"the server answered as HTTP/1.1";
                case H2SpecWireEventKind.Timeout or H2SpecWireEventKind.Unreadable:
                    return next.ToString();
            }
            var frame = next.Frame!;
            switch (expected)
            {
                case H2SpecExpectation.ConnectionError error when frame.Type == Http2FrameType.GoAway:
                    return error.Codes.Contains(frame.ErrorCode!.Value) ? null : $"GOAWAY carried {frame.ErrorCode}";
                case H2SpecExpectation.StreamError error when frame.Type is Http2FrameType.GoAway or Http2FrameType.RstStream:
                    return error.Codes.Contains(frame.ErrorCode!.Value) ? null : $"{frame.Type} carried {frame.ErrorCode}";
                case H2SpecExpectation.Frame wanted:
                    if (wanted.Matches(frame)) return null;
                    if (wanted.Contradicts?.Invoke(frame) == true) return $"{frame} contradicts it";
                    if (frame.Type == Http2FrameType.GoAway && frame.ErrorCode != Http2ErrorCode.NoError) return $"the server sent {frame}";
                    break;
            }
        }
    }
}
