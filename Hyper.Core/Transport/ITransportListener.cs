using System.Net;

namespace Hyper.Core.Transport;

/// <summary>A bound listening socket of a backend.</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The bound address (with the real port when port 0 was asked for).</summary>
    EndPoint EndPoint { get; }

    /// <summary>Waits for the next connection; null once the listener has been unbound.</summary>
    ValueTask<ITransportConnection?> AcceptAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops accepting; connections already accepted are not touched.</summary>
    ValueTask UnbindAsync();
}
