using System.IO.Pipelines;
using System.Net;
using Hyper.Core.Transport;

namespace Hyper.Transport.Tls.Tests;

/// <summary>
/// A transport connection made of two pipes, for handshakes without sockets: the server side is the
/// <see cref="ITransportConnection"/>, <see cref="ClientStream"/> is the peer's end.
/// </summary>
internal sealed class InMemoryConnection : ITransportConnection
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InMemoryConnection()
    {
        Transport = new DuplexPipe(_toServer.Reader, _toClient.Writer);
        ClientStream = new DuplexPipeStream(new DuplexPipe(_toClient.Reader, _toServer.Writer));
    }

    public IDuplexPipe Transport { get; }

    /// <summary>The client's end, as a stream a client <see cref="System.Net.Security.SslStream"/> can wrap.</summary>
    public Stream ClientStream { get; }

    public EndPoint? RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 50000);
    public EndPoint? LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 443);
    public bool IsAborted { get; private set; }
    public Task Disposed => _disposed.Task;

    public void Abort()
    {
        IsAborted = true;
        // As a reset socket: the client sees the end of the stream.
        _toClient.Writer.Complete();
        _toServer.Writer.Complete();
    }

    public ValueTask DisposeAsync()
    {
        _toClient.Writer.Complete();
        _disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
