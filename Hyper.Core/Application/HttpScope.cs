using System.Net;

namespace Hyper.Core.Application;

/// <summary>The ASGI HTTP 2.4 connection scope: one per request.</summary>
public sealed class HttpScope : AsgiScope
{
    public override string Type => "http";
    public override string SpecVersion => "2.4";

    /// <summary>"1.0", "1.1", "2" or "3".</summary>
    public required string HttpVersion { get; init; }

    /// <summary>Upper-case method, e.g. GET.</summary>
    public required string Method { get; init; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>The percent-decoded path (UTF-8), without <see cref="RootPath"/> removed (ASGI 2.4 keeps it in).</summary>
    public required string Path { get; init; }

    /// <summary>The path as it came on the wire, without the query.</summary>
    public required ReadOnlyMemory<byte> RawPath { get; init; }

    /// <summary>The part after '?', still percent-encoded; empty when none.</summary>
    public required ReadOnlyMemory<byte> QueryString { get; init; }

    /// <summary>The mount point of the application (the <c>root_path</c> option).</summary>
    public string RootPath { get; init; } = "";

    /// <summary>Request headers in wire order, names lower-cased, duplicates kept.</summary>
    public required IReadOnlyList<HeaderField> Headers { get; init; }

    /// <summary>The peer, or null for a unix socket.</summary>
    public IPEndPoint? Client { get; init; }

    /// <summary>The local end, or null for a unix socket.</summary>
    public IPEndPoint? Server { get; init; }
}
