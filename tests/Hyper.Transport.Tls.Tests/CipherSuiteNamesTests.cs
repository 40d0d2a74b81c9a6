using System.Net.Security;
using Hyper.Core.Configuration;

namespace Hyper.Transport.Tls.Tests;

public sealed class CipherSuiteNamesTests
{
    [Fact]
    public void Parse_OpenSslAndIanaNames_MapsInOrderAndKeepsTls13Suites()
    {
        var suites = CipherSuiteNames.Parse("ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");

        suites.Should().StartWith([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]);
        suites.Should().Contain(TlsCipherSuite.TLS_AES_128_GCM_SHA256);
    }

    [Fact]
    public void Parse_HypercornDefaultExpression_SelectsEcdheAesGcmOnly()
    {
        var suites = CipherSuiteNames.Parse("ECDHE+AESGCM").Where(s => !s.ToString().StartsWith("TLS_AES_", StringComparison.Ordinal)
            && s != TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256);

        suites.Should().BeEquivalentTo([
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]);
    }

    [Fact]
    public void Parse_OnlyTls13Suite_DoesNotAddOthers()
    {
        CipherSuiteNames.Parse("TLS_AES_256_GCM_SHA384").Should().Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384);
    }

    [Theory]
    [InlineData("RC4-MD5")]
    [InlineData("ECDHE+NOPE")]
    [InlineData("42")]
    public void Parse_UnknownName_ThrowsNamingCiphers(string ciphers)
    {
        var parse = () => CipherSuiteNames.Parse(ciphers);

        parse.Should().Throw<OptionsValidationException>().Which.Key.Should().Be("ciphers");
    }
}
