using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hyper.Conformance.Http11;

/// <summary>
/// Replays one <see cref="Http11Vector"/> on a fresh TCP connection and records what the server did. It knows
/// nothing of Hyper: any server that runs the <see cref="EchoApplication"/> contract (Hyper, Kestrel, …) can be
/// measured. When the vector should leave the connection open, a well-formed <see cref="Probe"/> request with
/// <c>Connection: close</c> follows it in the same write; if the server framed the vector differently from the
/// RFC, the probe is swallowed into a body or answered out of place, and the outcome shows it.
/// </summary>
public sealed class VectorRunner(EndPoint server)
{
    /// <summary>The request sent after a vector that must keep the connection open.</summary>
    public static readonly byte[] Probe = Encoding.ASCII.GetBytes("GET /__probe HTTP/1.1\r\nHost: probe.test\r\nConnection: close\r\n\r\n");

    /// <summary>How the echo application reports <see cref="Probe"/>.</summary>
    public static readonly EchoedRequest ProbeEcho = new("GET", "/__probe", "");

    public VectorRunner(string host, int port) : this(new DnsEndPoint(host, port)) { }

    /// <summary>How long a vector may take before the runner stops waiting for the server to close.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<VectorOutcome> RunAsync(Http11Vector vector, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, deadline.Token);

        var bytes = vector.Expected.RejectedWith is null && vector.Expected.Persistent ? [.. vector.Request, .. Probe] : vector.Request;
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
        }
        catch (SocketException)
        {
            // The server may refuse a head before the rest of it is written; what it answered is still readable.
        }

        var reader = new ResponseStreamReader(socket);
        var responses = new List<ObservedResponse>();
        var interim = new List<int>();
        string? readError = null;
        var timedOut = false;
        try
        {
            while (await reader.ReadAsync(deadline.Token) is { } response)
            {
                if (response.Status < 200) interim.Add(response.Status);
                else responses.Add(response);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or OverflowException)
        {
            readError = e.Message;
        }
        return new VectorOutcome(responses, interim, reader.Closed, timedOut, readError);
    }
}
