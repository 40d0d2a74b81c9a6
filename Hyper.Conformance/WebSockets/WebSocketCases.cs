using System.Text;

namespace Hyper.Conformance.WebSockets;

/// <summary>
/// The WebSocket conformance suite: the case groups of the Autobahn testsuite (1 framing, 2 pings and pongs,
/// 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits and performance, 12–13
/// compression), each case written from the RFC 6455 / RFC 7692 sentence it checks and asserting the exact echo or
/// close code. Autobahn itself needs Python 2; these run over sockets in the test suite. The partial files hold one
/// group each.
/// </summary>
public static partial class WebSocketCases
{
    private static readonly Lazy<IReadOnlyList<WebSocketCase>> AllCases = new(() =>
        [.. Framing(), .. PingsAndPongs(), .. ReservedBits(), .. Opcodes(), .. Fragmentation(), .. Utf8(), .. CloseHandling(), .. Limits(), .. Compression()]);

    public static IReadOnlyList<WebSocketCase> All => AllCases.Value;

    public static WebSocketCase Named(string id) => All.Single(c => c.Id == id);

    private static WebSocketCase Case(string id, string section, string description, WebSocketExpectation expected, params WebSocketStep[] steps) =>
        new(id, section, description, steps, expected);

    /// <summary>Sends one frame (built once: the bytes do not depend on the connection).</summary>
    private static WebSocketStep Send(byte[] frame, int? splitEvery = null) => new WebSocketStep.Send(_ => frame, splitEvery);

    private static WebSocketStep Send(Func<WebSocketCaseContext, byte[]> build) => new WebSocketStep.Send(build);

    private static WebSocketStep SendText(string text, int? splitEvery = null) => Send(ClientFrame.Build(ClientFrame.Text, Utf8Bytes(text)), splitEvery);

    private static WebSocketStep Echo(int opcode, byte[] payload) => new WebSocketStep.ExpectMessage(opcode, payload);

    private static WebSocketStep EchoText(string text) => Echo(ClientFrame.Text, Utf8Bytes(text));

    private static WebSocketStep Pong(byte[] payload) => new WebSocketStep.ExpectPong(payload);

    private static WebSocketStep SendClose(int code, string reason = "") => Send(ClientFrame.Build(ClientFrame.Close, ClientFrame.ClosePayload(code, Utf8Bytes(reason))));

    private static WebSocketExpectation Fails(int code) => new WebSocketExpectation.Fails(code);

    private static WebSocketExpectation Replies(int code) => new WebSocketExpectation.Replies(code);

    private static readonly WebSocketExpectation Open = WebSocketExpectation.Open;

    private static byte[] Utf8Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Printable text of <paramref name="length"/> bytes with a period that does not divide powers of two.</summary>
    private static byte[] TextOf(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)('*' + i % 61);
        return bytes;
    }

    /// <summary>Bytes of every value, deterministic but without short repeats (a linear congruential sequence).</summary>
    private static byte[] BinaryOf(int length, uint seed = 1)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            seed = seed * 1_103_515_245 + 12_345;
            bytes[i] = (byte)(seed >> 16);
        }
        return bytes;
    }

    /// <summary>A message cut into frames of <paramref name="size"/> bytes: the first with the opcode, the rest continuations, FIN on the last.</summary>
    private static byte[] Fragmented(int opcode, byte[] payload, int size)
    {
        var frames = new List<byte>();
        for (var at = 0; at < payload.Length || at == 0; at += size)
        {
            var part = payload.AsSpan(at, Math.Min(size, payload.Length - at));
            frames.AddRange(ClientFrame.Build(at == 0 ? opcode : ClientFrame.Continuation, part, fin: at + size >= payload.Length));
            if (payload.Length == 0) break;
        }
        return [.. frames];
    }
}
