using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Transport.Tls;

/// <summary>
/// Client certificates (mTLS) as Hypercorn's <c>verify_mode</c> has them: <c>none</c> asks for none;
/// <c>optional</c> asks, accepts a client that sends none, and rejects one whose certificate does not chain to
/// <c>ca_certs</c> (Python's CERT_OPTIONAL); <c>required</c> also rejects a client that sends none. Chains are
/// built against <c>ca_certs</c> only (a custom root trust, never the system store), for the clientAuth purpose
/// (RFC 5280 §4.2.1.12), at the server clock's time.
/// </summary>
internal sealed class ClientCertificateValidator(string mode, X509Certificate2Collection trustedRoots, TimeProvider time)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>True when the server asks the client for a certificate at all.</summary>
    public bool IsRequested => mode != "none";

    /// <summary>The outcome of checking one client's certificate.</summary>
    public sealed record Outcome(bool Accepted, X509Certificate2? Certificate, IReadOnlyList<X509Certificate2>? Chain, string? Error);

    public Outcome Check(X509Certificate? presented, X509Chain? presentedChain)
    {
        if (presented is null)
            return mode == "required"
                ? new Outcome(false, null, null, "the client sent no certificate and verify_mode is required")
                : new Outcome(true, null, null, null);
        var leaf = presented as X509Certificate2 ?? new X509Certificate2(presented);
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trustedRoots);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        policy.VerificationTime = time.GetUtcNow().UtcDateTime;
        // The intermediates the client sent travel in the chain SslStream built.
        if (presentedChain is not null)
        {
            policy.ExtraStore.AddRange(presentedChain.ChainPolicy.ExtraStore);
            foreach (var element in presentedChain.ChainElements)
            {
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)) policy.ExtraStore.Add(element.Certificate);
            }
        }
        if (chain.Build(leaf))
            return new Outcome(true, leaf, chain.ChainElements.Select(e => e.Certificate).ToArray(), null);
        var why = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return new Outcome(false, leaf, [leaf], $"client certificate '{leaf.Subject}' is not trusted: {why}");
    }

    /// <summary>Loads the CA bundle (<c>ca_certs</c>), a PEM file of one or more certificates.</summary>
    public static X509Certificate2Collection LoadTrustedRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException)
        {
            throw new TlsCertificateException($"ca_certs {path}: {ex.Message}", ex);
        }
        if (roots.Count == 0) throw new TlsCertificateException($"ca_certs {path}: no PEM certificate in it");
        return roots;
    }
}
