namespace Hyper.Core.Configuration;

/// <summary>
/// TLS termination on <c>bind</c> addresses (Hypercorn's <c>certfile</c>, <c>keyfile</c>, <c>ca_certs</c>,
/// <c>verify_mode</c>, <c>ciphers</c> …, plus Hyper's SNI, rotation and handshake guards). TLS is on as soon as
/// one certificate is configured, by <c>certfile</c>/<c>keyfile</c> pairs or <c>tls_certificates</c> entries.
/// The keys sit flat at the top level, as Hypercorn's do.
/// </summary>
public sealed record TlsOptions
{
    /// <summary>The TLS versions Hyper speaks: never below 1.2 (RFC 8996 deprecates 1.0 and 1.1).</summary>
    public static readonly IReadOnlyList<string> SupportedMinVersions = ["1.2", "1.3"];

    [OptionKey("certfile", Flag = "certfile", Help = "PEM certificate chain (leaf first); repeatable, paired in order with --keyfile; SNI picks among them")]
    public IReadOnlyList<string> CertFiles { get; init; } = [];

    [OptionKey("keyfile", Flag = "keyfile", Help = "PEM private key (RSA or ECDSA; PKCS#8 when encrypted) of the --certfile at the same position (repeatable)")]
    public IReadOnlyList<string> KeyFiles { get; init; } = [];

    [OptionKey("keyfile_password", Flag = "keyfile-password", Help = "Password of encrypted (PKCS#8) key files")]
    public string? KeyFilePassword { get; init; }

    [OptionKey("ca_certs", Flag = "ca-certs", Help = "PEM bundle of the CAs client certificates must chain to (mTLS)")]
    public string? CaCerts { get; init; }

    [OptionKey("verify_mode", Flag = "verify-mode", Help = "Client certificates: none, optional or required (CERT_NONE/CERT_OPTIONAL/CERT_REQUIRED accepted)")]
    public string VerifyMode { get; init; } = "none";

    [OptionKey("ciphers", Flag = "ciphers", Help = "Cipher suites, ':'-separated IANA (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) or OpenSSL (ECDHE-RSA-AES128-GCM-SHA256) names; unset = platform defaults")]
    public string? Ciphers { get; init; }

    [OptionKey("tls_min_version", Flag = "tls-min-version", Help = "Lowest TLS version accepted: 1.2 or 1.3")]
    public string MinVersion { get; init; } = "1.2";

    /// <summary>
    /// The ALPN ids to offer, in preference order; empty (the default) offers every registered protocol in the
    /// registry's order (h2, then http/1.1). Which ids exist is the protocol registry's business: the server refuses
    /// an id no protocol registered when it is built.
    /// </summary>
    [OptionKey("alpn_protocols", Help = "ALPN ids offered, in preference order; unset = every registered protocol (h2, http/1.1)")]
    public IReadOnlyList<string> AlpnProtocols { get; init; } = [];

    [OptionKey("tls_handshake_timeout", Help = "Seconds a client has to complete the TLS handshake (docs/security.md SL-05)")]
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    [OptionKey("tls_max_concurrent_handshakes", Help = "Handshakes in progress at once; connections beyond it are closed at once")]
    public int MaxConcurrentHandshakes { get; init; } = 1000;

    [OptionKey("tls_certificates", Help = "Certificates chosen by SNI: a list of tables {certfile, keyfile, server_names}")]
    public IReadOnlyList<TlsCertificateEntry> Certificates { get; init; } = [];

    /// <summary>True when a certificate is configured, so <c>bind</c> addresses serve TLS.</summary>
    public bool IsEnabled => CertFiles.Count > 0 || Certificates.Count > 0;

    /// <summary>
    /// Every configured pair in order (<c>certfile</c>/<c>keyfile</c> first, then <c>tls_certificates</c>); the
    /// first is the default when SNI names none of them.
    /// </summary>
    public IReadOnlyList<TlsCertificateEntry> AllCertificates =>
        [.. CertFiles.Select((cert, i) => new TlsCertificateEntry(cert, KeyFiles.ElementAtOrDefault(i) ?? cert)), .. Certificates];

    /// <summary>The verify mode in its canonical lower-case form: <c>none</c>, <c>optional</c> or <c>required</c>.</summary>
    public string NormalizedVerifyMode => NormalizeVerifyMode(VerifyMode) ?? VerifyMode;

    /// <summary>Checks the TLS keys; throws <see cref="OptionsValidationException"/> naming the first wrong key.</summary>
    public void Validate()
    {
        if (KeyFiles.Count != CertFiles.Count)
            throw new OptionsValidationException("keyfile", $"{KeyFiles.Count} keyfile(s) for {CertFiles.Count} certfile(s): give one keyfile per certfile, in the same order");
        foreach (var path in CertFiles) RequireFile("certfile", path);
        foreach (var path in KeyFiles) RequireFile("keyfile", path);
        for (var i = 0; i < Certificates.Count; i++)
        {
            var entry = Certificates[i];
            RequireFile($"tls_certificates[{i}].certfile", entry.CertFile);
            RequireFile($"tls_certificates[{i}].keyfile", entry.KeyFile);
        }
        if (CaCerts is not null) RequireFile("ca_certs", CaCerts);
        var mode = NormalizeVerifyMode(VerifyMode)
            ?? throw new OptionsValidationException("verify_mode", $"'{VerifyMode}' is not one of none, optional, required");
        if (mode != "none" && CaCerts is null)
            throw new OptionsValidationException("verify_mode", $"'{mode}' needs ca_certs: the CAs client certificates are checked against");
        if (!SupportedMinVersions.Contains(MinVersion.Trim()))
            throw new OptionsValidationException("tls_min_version", $"'{MinVersion}' is not one of {string.Join(", ", SupportedMinVersions)}");
        foreach (var id in AlpnProtocols)
        {
            // RFC 7301 §3.1: a protocol name is 1 to 255 bytes.
            if (id.Length is 0 or > 255)
                throw new OptionsValidationException("alpn_protocols", $"'{id}' is not an ALPN id (1 to 255 characters)");
        }
        if (HandshakeTimeout <= TimeSpan.Zero)
            throw new OptionsValidationException("tls_handshake_timeout", $"must be greater than 0, got {HandshakeTimeout.TotalSeconds}");
        if (MaxConcurrentHandshakes <= 0)
            throw new OptionsValidationException("tls_max_concurrent_handshakes", $"must be greater than 0, got {MaxConcurrentHandshakes}");
        if (Ciphers is { } ciphers && string.IsNullOrWhiteSpace(ciphers))
            throw new OptionsValidationException("ciphers", "must name at least one cipher suite");
    }

    // Hypercorn's CLI takes ssl.VerifyMode names (CERT_NONE …); its TOML takes the same. Both map here.
    private static string? NormalizeVerifyMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "cert_none" => "none",
        "optional" or "cert_optional" => "optional",
        "required" or "cert_required" => "required",
        _ => null,
    };

    private static void RequireFile(string key, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OptionsValidationException(key, "must be a file path");
        if (!File.Exists(path)) throw new OptionsValidationException(key, $"file '{path}' does not exist");
    }
}

/// <summary>One certificate/key pair and the host names it answers for by SNI (empty: the names in the certificate).</summary>
public sealed record TlsCertificateEntry(string CertFile, string KeyFile)
{
    public IReadOnlyList<string> ServerNames { get; init; } = [];
}
