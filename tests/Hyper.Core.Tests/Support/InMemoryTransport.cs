using System.IO.Pipelines;
using System.Net;
using System.Text;
using Hyper.Core.Transport;

namespace Hyper.Core.Tests.Support;

/// <summary>A connection made of two in-memory pipes: the test plays the client on the other ends.</summary>
internal sealed class InMemoryTransport : ITransportConnection, IDuplexPipe
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    public IDuplexPipe Transport => this;
    public PipeReader Input => _toServer.Reader;
    public PipeWriter Output => _toClient.Writer;
    public EndPoint? RemoteEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 50000);
    public EndPoint? LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 8000);
    public bool Aborted { get; private set; }

    public async Task ClientSendsAsync(string text) => await _toServer.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task ClientClosesAsync() => await _toServer.Writer.CompleteAsync();

    /// <summary>Reads what the server sent until <paramref name="text"/> has arrived (or the server closed).</summary>
    public async Task<string> ClientReadsUntilAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new StringBuilder();
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            var result = await _toClient.Reader.ReadAsync(cts.Token);
            foreach (var segment in result.Buffer) seen.Append(Encoding.ASCII.GetString(segment.Span));
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted) break;
        }
        return seen.ToString();
    }

    /// <summary>True once the server completed its output (the connection closed).</summary>
    public async Task<bool> ClientSeesCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _toClient.Reader.ReadAsync(cts.Token);
                _toClient.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Abort() => Aborted = true;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
