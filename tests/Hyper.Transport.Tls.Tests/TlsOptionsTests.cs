using Hyper.Core.Configuration;

namespace Hyper.Transport.Tls.Tests;

public sealed class TlsOptionsTests : IDisposable
{
    private readonly TlsFixture _tls = new();

    private static string KeyOf(Action validate) =>
        validate.Should().Throw<OptionsValidationException>().Which.Key;

    [Fact]
    public void Validate_Defaults_AreValidAndDisabled()
    {
        var options = new TlsOptions();

        options.Validate();

        options.IsEnabled.Should().BeFalse();
        options.HandshakeTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.AlpnProtocols.Should().BeEmpty("unset: the protocol registry's order (h2, then http/1.1) is offered");
    }

    [Fact]
    public void Validate_MoreCertfilesThanKeyfiles_NamesKeyfile()
    {
        KeyOf(() => (_tls.Options with { CertFiles = [_tls.CertFile, _tls.CertFile] }).Validate()).Should().Be("keyfile");
    }

    [Fact]
    public void Validate_MissingCertfile_NamesCertfile()
    {
        KeyOf(() => (_tls.Options with { CertFiles = ["/nonexistent/cert.pem"] }).Validate()).Should().Be("certfile");
    }

    [Fact]
    public void Validate_VerifyModeWithoutCaCerts_NamesVerifyMode()
    {
        KeyOf(() => (_tls.Options with { VerifyMode = "required" }).Validate()).Should().Be("verify_mode");
    }

    [Theory]
    [InlineData("CERT_REQUIRED", "required")]
    [InlineData("cert_optional", "optional")]
    [InlineData("None", "none")]
    public void NormalizedVerifyMode_AcceptsPythonNames(string given, string expected)
    {
        var options = _tls.Options with { VerifyMode = given, CaCerts = _tls.CaFile };

        options.Validate();

        options.NormalizedVerifyMode.Should().Be(expected);
    }

    [Theory]
    [InlineData("sometimes", "verify_mode")]
    [InlineData(null, "tls_min_version")]
    public void Validate_UnknownWords_NameTheirKey(string? verifyMode, string key)
    {
        var options = _tls.Options with { VerifyMode = verifyMode ?? "none", MinVersion = verifyMode is null ? "1.1" : "1.2" };

        KeyOf(options.Validate).Should().Be(key);
    }

    [Fact]
    public void Validate_EmptyAlpnId_NamesAlpnProtocols()
    {
        // Whether an id is known is the protocol registry's call (HyperServer checks it); an empty name is never valid.
        KeyOf(() => (_tls.Options with { AlpnProtocols = [""] }).Validate()).Should().Be("alpn_protocols");
    }

    [Fact]
    public void Validate_ZeroTimeoutOrLimit_NamesTheKey()
    {
        KeyOf(() => (_tls.Options with { HandshakeTimeout = TimeSpan.Zero }).Validate()).Should().Be("tls_handshake_timeout");
        KeyOf(() => (_tls.Options with { MaxConcurrentHandshakes = 0 }).Validate()).Should().Be("tls_max_concurrent_handshakes");
    }

    [Fact]
    public void AllCertificates_PairsInOrderThenTables()
    {
        var options = _tls.Options with { Certificates = [new TlsCertificateEntry("b.pem", "b.key") { ServerNames = ["b.test"] }] };

        options.AllCertificates.Select(c => c.CertFile).Should().Equal(_tls.CertFile, "b.pem");
        options.IsEnabled.Should().BeTrue();
    }

    [Fact]
    public void HyperOptions_Validate_RunsTheTlsRules()
    {
        var options = new HyperOptions { Tls = _tls.Options with { KeyFiles = [] } };

        KeyOf(() => options.Validate()).Should().Be("keyfile");
    }

    public void Dispose() => _tls.Dispose();
}
