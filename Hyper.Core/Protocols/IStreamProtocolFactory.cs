namespace Hyper.Core.Protocols;

/// <summary>Creates a protocol for a new connection; registered per ALPN id (<c>http/1.1</c>, <c>h2</c>).</summary>
public interface IStreamProtocolFactory
{
    /// <summary>The ALPN protocol id this factory serves.</summary>
    string Alpn { get; }

    IStreamProtocol Create(ConnectionInfo connection);
}
