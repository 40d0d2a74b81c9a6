using System.Text;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// Plays one <see cref="WebSocketCase"/> against a server through a fresh transport: the handshake (with the case's
/// extension offer, and the agreement checked), the steps, then the expectation. Every frame the server sends is
/// checked against the rules a client must enforce (RFC 6455 §5.1: server frames are not masked; RSV1 only on the
/// first frame of a compressed message). Knows nothing of Hyper.
/// </summary>
public sealed class WebSocketCaseRunner(Func<IWebSocketCaseTransport> connect)
{
    /// <summary>How long each wait for the server may last.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The path the WebSocket is opened at.</summary>
    public string Path { get; init; } = "/";

    public async Task<WebSocketVerdict> RunAsync(WebSocketCase @case, CancellationToken cancellationToken = default)
    {
        var observed = new List<string>();
        await using var transport = connect();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(@case.Budget);
        WebSocketVerdict Fail(string failure) => new(@case, transport.Name, false, observed, failure);
        try
        {
            var offer = @case.ExtensionOffer is { } o ? new[] { ("Sec-WebSocket-Extensions", o) } : [];
            var response = await transport.OpenAsync(Path, offer, budget.Token);
            observed.Add($"handshake {response.Status}");
            var accepted = transport.Name == "HTTP/2" ? response.Status is >= 200 and < 300 : response.Status == 101;
            if (!accepted) return Fail($"the handshake was answered {response.Status}");
            var agreement = response.Field("sec-websocket-extensions");
            if (agreement is not null) observed.Add($"extensions: {agreement}");
            if (@case.ExtensionOffer is not null && !SameParameters(agreement, @case.ExpectedAgreement))
                return Fail($"Sec-WebSocket-Extensions is '{agreement ?? "(absent)"}', expected '{@case.ExpectedAgreement ?? "(absent)"}'");
            if (@case.ExtensionOffer is null && agreement is not null)
                return Fail("an extension was agreed that the client never offered (RFC 6455 §9.1)");

            using var deflate = agreement is null ? null : new ClientDeflate(
                agreement.Contains("client_no_context_takeover", StringComparison.Ordinal),
                agreement.Contains("server_no_context_takeover", StringComparison.Ordinal));
            var context = new WebSocketCaseContext(deflate);
            var frames = new WebSocketFrameStream(transport, Timeout);

            foreach (var step in @case.Steps)
            {
                switch (step)
                {
                    case WebSocketStep.Send send:
                        var bytes = send.Build(context);
                        var every = send.SplitEvery ?? bytes.Length;
                        for (var at = 0; at < bytes.Length; at += every)
                            await transport.SendAsync(bytes.AsMemory(at, Math.Min(every, bytes.Length - at)), budget.Token);
                        break;
                    case WebSocketStep.ExpectMessage wanted:
                        var (failure, opcode, payload) = await ReadMessageAsync(frames, deflate, observed, budget.Token);
                        if (failure is not null) return Fail(failure);
                        if (opcode != wanted.Opcode || !payload.AsSpan().SequenceEqual(wanted.Payload))
                            return Fail($"expected the echo {ServerFrame.OpcodeName(wanted.Opcode)} of {wanted.Payload.Length} bytes, got {ServerFrame.OpcodeName(opcode)} of {payload.Length}" +
                                (payload.Length < 64 && opcode == ClientFrame.Text ? $" \"{Encoding.UTF8.GetString(payload)}\"" : ""));
                        break;
                    case WebSocketStep.ExpectPong pong:
                        var earlier = 0;
                        while (true)
                        {
                            var frame = await frames.NextAsync(budget.Token);
                            observed.Add(frame?.ToString() ?? "end of stream");
                            if (frame is { Opcode: ClientFrame.Pong } && frame.Payload.AsSpan().SequenceEqual(pong.Payload)) break;
                            while (earlier < pong.MayPrecede.Count && frame is { Opcode: ClientFrame.Pong }
                                   && !frame.Payload.AsSpan().SequenceEqual(pong.MayPrecede[earlier])) earlier++;
                            if (frame is not { Opcode: ClientFrame.Pong } || earlier == pong.MayPrecede.Count)
                                return Fail($"expected a Pong with the Ping's {pong.Payload.Length}-byte payload");
                            earlier++;
                        }
                        break;
                }
            }

            var expectedCode = @case.Expected switch
            {
                WebSocketExpectation.Fails f => f.Code,
                WebSocketExpectation.Replies r => r.Code,
                _ => 1000,
            };
            if (@case.Expected is WebSocketExpectation.StaysOpen)
                await transport.SendAsync(ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(1000)), budget.Token);
            var close = await frames.NextAsync(budget.Token);
            observed.Add(close?.ToString() ?? "end of stream");
            while (@case.Expected is WebSocketExpectation.Replies { MessagesMayPrecede: true } && close is { IsControl: false })
            {
                close = await frames.NextAsync(budget.Token);
                observed.Add(close?.ToString() ?? "end of stream");
            }
            if (close is null) return Fail("the connection ended without a Close frame");
            if (close.Opcode != ClientFrame.Close) return Fail($"expected a Close, got {close}");
            if (close.CloseCode != expectedCode) return Fail($"expected Close {expectedCode}, got {close.CloseCode}");
            if (close.Masked) return Fail("the server masked its Close (RFC 6455 §5.1)");
            if (close.Payload.Length > 2 && !IsUtf8(close.Payload.AsSpan(2))) return Fail("the Close reason is not UTF-8 (RFC 6455 §5.5.1)");
            if (!await frames.ReachesEndAsync(budget.Token)) return Fail("the server did not close the connection after the close handshake (RFC 6455 §7.1.1)");
            observed.Add("end of stream");
            return new WebSocketVerdict(@case, transport.Name, true, observed, null);
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidDataException or System.Net.Sockets.SocketException
                                      or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Fail(e is OperationCanceledException ? $"the case took longer than {@case.Budget.TotalSeconds:0} s" : e.Message);
        }
    }

    /// <summary>Reads one whole data message (fragments joined, control frames other than Ping refused).</summary>
    private static async Task<(string? Failure, int Opcode, byte[] Payload)> ReadMessageAsync(WebSocketFrameStream frames, ClientDeflate? deflate, List<string> observed,
        CancellationToken cancellationToken)
    {
        var payload = new MemoryStream();
        int? opcode = null;
        var compressed = false;
        while (true)
        {
            var frame = await frames.NextAsync(cancellationToken);
            observed.Add(frame?.ToString() ?? "end of stream");
            if (frame is null) return ("the connection ended before the echo", 0, []);
            if (frame.Masked) return ("the server masked a frame (RFC 6455 §5.1)", 0, []);
            if (frame.Opcode == ClientFrame.Close) return ($"expected an echo, got {frame}", 0, []);
            if (frame.IsControl) return ($"unexpected {frame}", 0, []);
            if (opcode is null)
            {
                if (frame.Opcode == ClientFrame.Continuation) return ("a continuation frame with no message to continue (RFC 6455 §5.4)", 0, []);
                opcode = frame.Opcode;
                compressed = (frame.Rsv & 0x4) != 0;
                if (compressed && deflate is null) return ("RSV1 set without permessage-deflate agreed (RFC 6455 §5.2)", 0, []);
                if ((frame.Rsv & 0x3) != 0) return ("RSV2/RSV3 set (RFC 6455 §5.2)", 0, []);
            }
            else if (frame.Opcode != ClientFrame.Continuation || frame.Rsv != 0)
            {
                return ($"{frame} inside a fragmented message (RFC 6455 §5.4, RFC 7692 §6.1)", 0, []);
            }
            payload.Write(frame.Payload);
            if (!frame.Fin) continue;
            var bytes = payload.ToArray();
            try
            {
                return (null, opcode.Value, compressed ? deflate!.Inflate(bytes) : bytes);
            }
            catch (InvalidDataException e)
            {
                return ($"the server's compressed message does not inflate: {e.Message}", 0, []);
            }
        }
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Compares two extension agreements parameter by parameter, in any order (RFC 7692 §5 leaves it free).</summary>
    private static bool SameParameters(string? actual, string? expected)
    {
        if (actual is null || expected is null) return actual is null && expected is null;
        static string[] Parts(string value) => value.Split(';').Select(p => p.Trim().Replace(" ", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        return Parts(actual).SequenceEqual(Parts(expected));
    }
}
