using Hyper.Conformance.Http11;

namespace Hyper.Conformance.Tests;

/// <summary>The HTTP/1.1 vectors' servers: <see cref="EchoApplication"/> on every backend.</summary>
public sealed class EchoServers() : SharedServers(EchoApplication.RunAsync);
