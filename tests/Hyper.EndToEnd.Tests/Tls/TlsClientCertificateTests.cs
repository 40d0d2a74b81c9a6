namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>mTLS end to end: <c>ca_certs</c> with <c>verify_mode</c> required and optional, over HttpClient.</summary>
public sealed class TlsClientCertificateTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    private Task<TlsTestServer> StartAsync(string backend, string mode) =>
        TlsTestServer.StartAsync(backend, TlsApps.Describe, _tls, o => o with { VerifyMode = mode, CaCerts = _tls.CaFile });

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Required_TrustedCertificate_AppSeesItsNameAndChain(string backend)
    {
        await using var server = await StartAsync(backend, "required");
        using var client = server.CreateClient(_tls, _tls.IssueClient("CN=alice"));

        var body = await client.GetStringAsync("/");

        body.Should().Contain("client_cert_name=CN=alice").And.Contain("client_chain=2");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Required_NoCertificate_RequestFails(string backend)
    {
        await using var server = await StartAsync(backend, "required");
        using var client = server.CreateClient(_tls);

        var get = () => client.GetAsync("/");

        await get.Should().ThrowAsync<HttpRequestException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Required_UntrustedCertificate_RequestFails(string backend)
    {
        await using var server = await StartAsync(backend, "required");
        using var client = server.CreateClient(_tls, TlsMaterial.UntrustedClient());

        var get = () => client.GetAsync("/");

        await get.Should().ThrowAsync<HttpRequestException>();
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Optional_NoCertificate_IsServedWithoutClientName(string backend)
    {
        await using var server = await StartAsync(backend, "optional");
        using var client = server.CreateClient(_tls);

        var body = await client.GetStringAsync("/");

        body.Should().Contain("client_cert_name=;").And.Contain("client_chain=0");
    }

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Optional_UntrustedCertificate_RequestFails(string backend)
    {
        await using var server = await StartAsync(backend, "optional");
        using var client = server.CreateClient(_tls, TlsMaterial.UntrustedClient());

        var get = () => client.GetAsync("/");

        await get.Should().ThrowAsync<HttpRequestException>();
    }

    public void Dispose() => _tls.Dispose();
}
