using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyper.Cli;

/// <summary>
/// <c>hyper dev-cert [--dir DIR] [--force]</c>: a local certificate authority and a <c>localhost</c> certificate it
/// signs (SAN localhost, 127.0.0.1, ::1), made with <see cref="CertificateRequest"/> — no openssl, no mkcert — so
/// HTTPS and HTTP/2 work locally in one command. Both are reused while valid, so trusting the CA once lasts; then it
/// prints the flags to serve with them and how to trust the CA. Keys are ECDSA P-256, written as unencrypted
/// PKCS#8 readable by the owner only: they are development keys and must never guard anything else.
/// </summary>
internal static class DevCertCommand
{
    /// <summary>Files in the directory: the CA and the server pair.</summary>
    public const string CaCertFile = "ca.pem", CaKeyFile = "ca.key", CertFile = "localhost.pem", KeyFile = "localhost.key";

    // Browsers refuse leaf certificates valid for more than 398 days (CA/B Forum baseline requirements §6.3.2).
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(397);
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(5 * 365);
    // Renew a little before expiry, so a server started today does not stop working tomorrow.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(14);
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>What <see cref="Ensure"/> did: the paths, and whether each part was made now or reused.</summary>
    public sealed record Result(string Directory, bool CaCreated, bool CertificateCreated, DateTimeOffset CertificateExpires)
    {
        public string CaPath => Path.Combine(Directory, CaCertFile);
        public string CertPath => Path.Combine(Directory, CertFile);
        public string KeyPath => Path.Combine(Directory, KeyFile);
    }

    public static Command Create(TimeProvider? time = null)
    {
        var dir = new Option<string>("--dir")
        {
            Description = "Where the CA and certificate live (default: ~/.hyper/dev-certs)",
            HelpName = "DIR",
        };
        var force = new Option<bool>("--force") { Description = "Make a new CA and certificate even if the current ones are valid" };
        var command = new Command("dev-cert", "Create (or reuse) a local CA and a localhost certificate for HTTPS development, and print how to use them");
        command.Options.Add(dir);
        command.Options.Add(force);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            // GetFolderPath gives "" for a home directory that does not exist yet; HOME is what the user meant then.
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } profile
                ? profile
                : Environment.GetEnvironmentVariable("HOME") ?? ".";
            var directory = Path.GetFullPath(parse.GetValue(dir) ?? Path.Combine(home, ".hyper", "dev-certs"));
            try
            {
                var result = Ensure(directory, parse.GetValue(force), time ?? TimeProvider.System);
                Print(result, output);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"hyper: error: dev-cert: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Makes or reuses the CA and the localhost certificate in <paramref name="directory"/>.</summary>
    public static Result Ensure(string directory, bool force, TimeProvider time)
    {
        Directory.CreateDirectory(directory);
        var now = time.GetUtcNow();
        var caPath = Path.Combine(directory, CaCertFile);
        var caKeyPath = Path.Combine(directory, CaKeyFile);
        var ca = force ? null : TryLoad(caPath, caKeyPath, now);
        var caCreated = ca is null;
        if (ca is null)
        {
            ca = CreateCa(now);
            Write(ca, caPath, caKeyPath);
        }
        using (ca)
        {
            var certPath = Path.Combine(directory, CertFile);
            var keyPath = Path.Combine(directory, KeyFile);
            var leaf = caCreated ? null : TryLoad(certPath, keyPath, now);
            if (leaf is not null && !IsIssuedBy(leaf, ca, now))
            {
                leaf.Dispose();
                leaf = null;
            }
            var leafCreated = leaf is null;
            leaf ??= CreateLeaf(ca, now);
            using (leaf)
            {
                if (leafCreated) Write(leaf, certPath, keyPath);
                return new Result(directory, caCreated, leafCreated, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));
            }
        }
    }

    private static void Print(Result result, TextWriter output)
    {
        output.WriteLine($"CA:          {result.CaPath} ({(result.CaCreated ? "created" : "reused")})");
        output.WriteLine($"Certificate: {result.CertPath} for localhost, 127.0.0.1, ::1 ({(result.CertificateCreated ? "created" : "reused")}, expires {result.CertificateExpires:yyyy-MM-dd})");
        output.WriteLine();
        output.WriteLine("Serve HTTPS (HTTP/2 and HTTP/1.1) with:");
        output.WriteLine($"  hyper --certfile {Quote(result.CertPath)} --keyfile {Quote(result.KeyPath)} APP");
        output.WriteLine();
        output.WriteLine("Trust the CA:");
        output.WriteLine($"  curl --cacert {Quote(result.CaPath)} https://localhost:8000/");
        output.WriteLine($"  Debian/Ubuntu (system-wide): sudo cp {Quote(result.CaPath)} /usr/local/share/ca-certificates/hyper-dev-ca.crt && sudo update-ca-certificates");
        output.WriteLine("The CA key signs anything your machine will then trust: keep it private, and remove the CA from the trust store when done.");
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;

    private static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Hyper Development CA ({Environment.MachineName}), O=Hyper dev-cert", key, HashAlgorithmName.SHA256);
        // pathLen 0: the CA can sign end-entity certificates only (RFC 5280 §4.2.1.9).
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 ca, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var notAfter = now + LeafLifetime < ca.NotAfter.ToUniversalTime() ? now + LeafLifetime : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    // A pair that loads, has its key, and stays valid for a while yet; null means "make a new one".
    private static X509Certificate2? TryLoad(string certPath, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath)) return null;
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            if (certificate.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore && certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime)
                return certificate;
            certificate.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool IsIssuedBy(X509Certificate2 leaf, X509Certificate2 ca, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(leaf);
    }

    private static void Write(X509Certificate2 certificate, string certPath, string keyPath)
    {
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
        var keyPem = certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n";
        // Created owner-only before the key is in it, so no other user can read it even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(new FileStream(keyPath, options)))
        {
            writer.Write(keyPem);
        }
        // UnixCreateMode only applies to a new file: an existing key keeps its mode unless set again.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
