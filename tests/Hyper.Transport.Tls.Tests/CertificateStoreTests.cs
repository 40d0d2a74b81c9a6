using Hyper.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Transport.Tls.Tests;

public sealed class CertificateStoreTests : IDisposable
{
    private readonly TlsFixture _tls = new();
    private readonly FakeTimeProvider _time = new();

    private CertificateStore Create(TimeSpan? poll = null) =>
        new([new TlsCertificateEntry(_tls.CertFile, _tls.KeyFile)], null, NullLogger.Instance, _time,
            watchFiles: true, pollInterval: poll ?? TimeSpan.FromSeconds(5));

    private System.Security.Cryptography.X509Certificates.X509Certificate2 WriteRenewedPair()
    {
        var renewed = TestCertificates.CreateLeaf(_tls.Ca, ["localhost"]);
        File.WriteAllText(_tls.CertFile, renewed.ExportCertificatePem());
        File.WriteAllText(_tls.KeyFile, TestCertificates.KeyPem(renewed));
        return renewed;
    }

    [Fact]
    public void Construct_BrokenPair_IsAStartupError()
    {
        File.WriteAllText(_tls.KeyFile, "not a key");

        var create = () => Create();

        create.Should().Throw<TlsCertificateException>().WithMessage($"*{_tls.KeyFile}*");
    }

    [Fact]
    public void PeriodicCheck_FilesReplaced_SwapsInTheNewPair()
    {
        using var store = Create(poll: TimeSpan.FromSeconds(5));
        var renewed = WriteRenewedPair();

        _time.Advance(TimeSpan.FromSeconds(5));

        store.Generation.Should().Be(1);
        store.Current.Default.Leaf.Thumbprint.Should().Be(renewed.Thumbprint);
    }

    [Fact]
    public void PeriodicCheck_NothingChanged_KeepsTheLoadedSet()
    {
        using var store = Create(poll: TimeSpan.FromSeconds(5));
        var before = store.Current;

        _time.Advance(TimeSpan.FromSeconds(30));

        store.Generation.Should().Be(0);
        store.Current.Should().BeSameAs(before);
    }

    [Fact]
    public void PeriodicCheck_BrokenNewPair_KeepsTheOldOneUntilTheFilesAreFixed()
    {
        using var store = Create(poll: TimeSpan.FromSeconds(5));
        var before = store.Current;
        var renewed = TestCertificates.CreateLeaf(_tls.Ca, ["localhost"]);
        // The certificate is renewed but the key is not there yet: the pair does not match.
        File.WriteAllText(_tls.CertFile, renewed.ExportCertificatePem());

        _time.Advance(TimeSpan.FromSeconds(5));

        store.Generation.Should().Be(0);
        store.Current.Should().BeSameAs(before);

        File.WriteAllText(_tls.KeyFile, TestCertificates.KeyPem(renewed));
        _time.Advance(TimeSpan.FromSeconds(5));

        store.Generation.Should().Be(1);
        store.Current.Default.Leaf.Thumbprint.Should().Be(renewed.Thumbprint);
    }

    [Fact]
    public async Task Watcher_FileReplacedByRename_ReloadsAfterTheDebounce()
    {
        // A poll interval that never comes: only the watcher can notice.
        using var store = Create(poll: TimeSpan.FromHours(1));
        var renewed = TestCertificates.CreateLeaf(_tls.Ca, ["localhost"]);
        var staging = Path.Combine(_tls.Dir.Path, "staging");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "server.pem"), renewed.ExportCertificatePem());
        File.WriteAllText(Path.Combine(staging, "server.key"), TestCertificates.KeyPem(renewed));

        File.Move(Path.Combine(staging, "server.pem"), _tls.CertFile, overwrite: true);
        File.Move(Path.Combine(staging, "server.key"), _tls.KeyFile, overwrite: true);

        // The watcher's events arrive on their own thread; the debounce timer runs on the fake clock.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.Generation == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            _time.Advance(CertificateStore.DefaultDebounce);
        }
        store.Generation.Should().BeGreaterThan(0);
        store.Current.Default.Leaf.Thumbprint.Should().Be(renewed.Thumbprint);
    }

    [Fact]
    public void Reload_ByHand_ReportsSuccessOrFailure()
    {
        using var store = new CertificateStore([new TlsCertificateEntry(_tls.CertFile, _tls.KeyFile)], null, NullLogger.Instance, _time, watchFiles: false);
        File.WriteAllText(_tls.CertFile, "garbage");

        store.Reload().Should().BeFalse();
        WriteRenewedPair();
        store.Reload().Should().BeTrue();
        store.Generation.Should().Be(1);
    }

    public void Dispose() => _tls.Dispose();
}
