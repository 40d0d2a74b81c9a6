using Hyper.Core.Configuration;

namespace Hyper.Core.Transport;

/// <summary>
/// A backend that can bind UDP sockets. A backend may return several sockets for one address (an event-loop backend
/// binds one SO_REUSEPORT socket per loop, and the kernel keeps each client's 4-tuple on one of them); the caller
/// runs one receive loop per socket, started through the backend's root scope.
/// </summary>
public interface IDatagramTransport
{
    ValueTask<IReadOnlyList<IDatagramSocket>> BindDatagramAsync(BindAddress address, CancellationToken cancellationToken = default);
}
