using System.IO.Pipelines;
using System.Net;

namespace Hyper.Core.Transport;

/// <summary>
/// One accepted byte-stream connection, as a backend hands it to Core: a duplex pipe plus its endpoints.
/// The backend moves bytes between the socket and the pipe; Core never touches the socket.
/// </summary>
public interface ITransportConnection : IAsyncDisposable
{
    /// <summary>Bytes from the peer (<see cref="IDuplexPipe.Input"/>) and to the peer (<see cref="IDuplexPipe.Output"/>).</summary>
    IDuplexPipe Transport { get; }

    EndPoint? RemoteEndPoint { get; }
    EndPoint? LocalEndPoint { get; }

    /// <summary>
    /// Bytes handed to the network so far, or -1 when the transport does not count them. The driver measures the
    /// minimum response rate with it while a flush is blocked (docs/security.md SL-03, H2-07): what counts is what the
    /// client really takes, not how much the application queued.
    /// </summary>
    long BytesSent => -1;

    /// <summary>
    /// Bytes of <see cref="BytesSent"/> the peer has acknowledged receiving (TCP's cumulative ACK, read from the kernel
    /// with <see cref="TcpAcknowledgedBytes"/>), or -1 when the transport cannot tell. Bytes sent only reached the
    /// kernel's send buffer, megabytes under autotuning; bytes acknowledged are what the client has really taken,
    /// so the minimum response rate is judged on these where they exist (docs/security.md SL-03).
    /// </summary>
    long BytesAcknowledged => -1;

    /// <summary>Closes the connection at once, without flushing (a reset where the platform allows it).</summary>
    void Abort();
}
