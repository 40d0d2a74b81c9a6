using Hyper.Core.Protocols;
using Hyper.Core.Transport;

namespace Hyper.Core.Hosting;

/// <summary>
/// A connection the pipeline has made ready for a driver: its (plaintext) transport, what is known about it, and the
/// protocol chosen to serve it.
/// </summary>
internal sealed record OpenedConnection(ITransportConnection Transport, ConnectionInfo Info, IStreamProtocolFactory Protocol);
