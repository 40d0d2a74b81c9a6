using Hyper.Conformance.Http2.Spec;

namespace Hyper.Conformance.Tests.Http2.Spec;

/// <summary>
/// The h2spec-style cases' servers: <see cref="H2SpecApplication"/> on every backend, HTTP/1.1 and HTTP/2 (h2c prior
/// knowledge) on the shared cleartext port.
/// </summary>
public sealed class H2SpecServers() : SharedServers(H2SpecApplication.RunAsync);
