namespace Hyper.Transport.Tls;

/// <summary>
/// The certificates of one bind, immutable: rotation swaps a whole set, so a handshake always sees a consistent
/// one. Chooses by the SNI host name (RFC 6066 §3): an exact name first, then a <c>*.example.com</c> wildcard
/// covering exactly one label (RFC 6125 §6.4.3), else the first certificate, which also serves clients that send
/// no SNI (connections by IP address).
/// </summary>
internal sealed class CertificateSet
{
    private readonly Dictionary<string, ServerCertificate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ServerCertificate> _wildcard = new(StringComparer.OrdinalIgnoreCase);

    public CertificateSet(IReadOnlyList<ServerCertificate> certificates)
    {
        if (certificates.Count == 0) throw new ArgumentException("At least one certificate is required.", nameof(certificates));
        Certificates = certificates;
        // Earlier entries win a name they share with later ones, as the configured order promises.
        foreach (var certificate in certificates)
        {
            foreach (var name in certificate.ServerNames)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal)) _wildcard.TryAdd(name[2..], certificate);
                else _exact.TryAdd(name.TrimEnd('.'), certificate);
            }
        }
    }

    /// <summary>In configured order; the first is the default.</summary>
    public IReadOnlyList<ServerCertificate> Certificates { get; }

    public ServerCertificate Default => Certificates[0];

    /// <summary>The certificate for <paramref name="serverName"/> (the SNI name; null or empty when the client sent none).</summary>
    public ServerCertificate Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName)) return Default;
        var name = serverName.TrimEnd('.');
        if (_exact.TryGetValue(name, out var exact)) return exact;
        var dot = name.IndexOf('.');
        if (dot > 0 && _wildcard.TryGetValue(name[(dot + 1)..], out var wildcard)) return wildcard;
        return Default;
    }
}
