namespace Hyper.Transport.Tls;

/// <summary>A certificate or key could not be loaded; the message names the files and the reason.</summary>
public sealed class TlsCertificateException(string message, Exception? inner = null) : Exception(message, inner);
