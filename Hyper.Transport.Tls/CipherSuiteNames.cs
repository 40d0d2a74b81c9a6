using System.Net.Security;
using Hyper.Core.Configuration;

namespace Hyper.Transport.Tls;

/// <summary>
/// Turns the <c>ciphers</c> option into a <see cref="CipherSuitesPolicy"/> (honoured on Linux and macOS; Windows
/// has no per-connection cipher list). Accepted, separated by ':' (OpenSSL's separator), ',' or spaces:
/// <list type="bullet">
/// <item>IANA names, as .NET's <see cref="TlsCipherSuite"/> spells them: <c>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</c>;</item>
/// <item>OpenSSL names of the AEAD and SHA-2 suites: <c>ECDHE-RSA-AES128-GCM-SHA256</c>;</item>
/// <item>OpenSSL '+' expressions over ECDHE, DHE, RSA, ECDSA, AESGCM, AES128, AES256, CHACHA20, e.g. Hypercorn's
/// default <c>ECDHE+AESGCM</c> (every suite having all the named parts).</item>
/// </list>
/// As with OpenSSL's <c>set_ciphers</c>, a list naming no TLS 1.3 suite leaves TLS 1.3's suites untouched.
/// </summary>
public static class CipherSuiteNames
{
    private static readonly TlsCipherSuite[] Tls13Suites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    private static readonly Dictionary<string, TlsCipherSuite> OpenSslNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ECDHE-ECDSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-ECDSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-ECDSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["DHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        ["DHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        ["DHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-ECDSA-AES128-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        ["ECDHE-RSA-AES128-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        ["ECDHE-ECDSA-AES256-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        ["ECDHE-RSA-AES256-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    };

    // Each OpenSSL keyword as the parts of an IANA name it stands for.
    private static readonly Dictionary<string, string[]> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ECDHE"] = ["_ECDHE_"],
        ["EECDH"] = ["_ECDHE_"],
        ["DHE"] = ["TLS_DHE_"],
        ["EDH"] = ["TLS_DHE_"],
        ["RSA"] = ["_RSA_"],
        ["aRSA"] = ["_RSA_"],
        ["ECDSA"] = ["_ECDSA_"],
        ["aECDSA"] = ["_ECDSA_"],
        ["AESGCM"] = ["_AES_", "_GCM_"],
        ["AES128"] = ["_AES_128_"],
        ["AES256"] = ["_AES_256_"],
        ["AES"] = ["_AES_"],
        ["CHACHA20"] = ["_CHACHA20_"],
    };

    /// <summary>The suites <paramref name="ciphers"/> names, in its order; throws naming the first unknown name.</summary>
    /// <exception cref="OptionsValidationException">A name or keyword Hyper does not know, or a list that selects nothing.</exception>
    public static IReadOnlyList<TlsCipherSuite> Parse(string ciphers)
    {
        var suites = new List<TlsCipherSuite>();
        foreach (var token in ciphers.Split([':', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var suite in Resolve(token))
            {
                if (!suites.Contains(suite)) suites.Add(suite);
            }
        }
        if (suites.Count == 0) throw new OptionsValidationException("ciphers", $"'{ciphers}' selects no cipher suite");
        if (!suites.Any(Tls13Suites.Contains)) suites.AddRange(Tls13Suites);
        return suites;
    }

    /// <summary>The policy for <paramref name="ciphers"/>, or null (platform defaults) when unset.</summary>
    public static CipherSuitesPolicy? CreatePolicy(string? ciphers)
    {
        if (ciphers is null) return null;
        var suites = Parse(ciphers);
        // Schannel takes no per-connection list: refuse rather than silently serve other suites than asked.
        if (OperatingSystem.IsWindows()) throw new OptionsValidationException("ciphers", "is not supported on Windows; configure cipher suites in the system's TLS policy");
        return new CipherSuitesPolicy(suites);
    }

    private static IEnumerable<TlsCipherSuite> Resolve(string token)
    {
        if (Enum.TryParse<TlsCipherSuite>(token, ignoreCase: false, out var iana) && !int.TryParse(token, out _)) return [iana];
        if (OpenSslNames.TryGetValue(token, out var named)) return [named];
        var parts = token.Split('+');
        var required = new List<string>();
        foreach (var part in parts)
        {
            if (!Keywords.TryGetValue(part, out var fragments))
                throw new OptionsValidationException("ciphers", $"unknown cipher suite or keyword '{part}' (use IANA names, OpenSSL names, or ECDHE/DHE/RSA/ECDSA/AESGCM/AES128/AES256/CHACHA20 joined by '+')");
            required.AddRange(fragments);
        }
        return OpenSslNames.Values.Where(s => required.All(f => s.ToString().Contains(f, StringComparison.Ordinal)));
    }
}
