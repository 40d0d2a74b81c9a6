using System.Runtime.InteropServices;
using Hyper.Core.Configuration;
using Microsoft.Extensions.Logging;
using Hyper.Core.Concurrency;

namespace Hyper.Transport.Tls;

/// <summary>
/// Holds the current <see cref="CertificateSet"/> and replaces it when the certificate or key files change on
/// disk (an ACME client renewing them) or on SIGHUP. New handshakes take the new set; connections already
/// established keep the certificate they were opened with, since TLS never re-reads it. A new pair that does not
/// load (half-written files, a key that does not match) is logged as an error and the old set stays in force.
/// <para>
/// Changes are noticed two ways: <see cref="FileSystemWatcher"/>s on the files' directories, debounced so that a
/// certificate and key written one after the other are read once; and a periodic check of the files' size and
/// write time, because watchers miss some replacements (an atomic rename of a directory symlink, as certbot and
/// Kubernetes secrets do it, or an NFS mount).
/// </para>
/// </summary>
public sealed class CertificateStore : IDisposable
{
    /// <summary>Wait after the last file event before reloading.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the files' size and write time are compared with the last load.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<TlsCertificateEntry> _entries;
    private readonly string? _password;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _debounce;
    private readonly Lock _reloadGate = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _poll;
    private readonly ITimer _debounceTimer;
    private readonly PosixSignalRegistration? _hangup;
    private CertificateSet _current;
    private FileSignature[] _loadedSignature;
    private int _generation;

    /// <summary>Loads the pairs now; throws <see cref="TlsCertificateException"/> when one does not load (a startup error).</summary>
    /// <param name="watchFiles">Watch the files and poll them; off for a store reloaded only by hand.</param>
    /// <param name="reloadOnHangup">Reload on SIGHUP (the CLI's server sets this; tests and embedders need not).</param>
    public CertificateStore(IReadOnlyList<TlsCertificateEntry> entries, string? password, ILogger logger, TimeProvider time,
        bool watchFiles = true, bool reloadOnHangup = false, TimeSpan? pollInterval = null, TimeSpan? debounce = null)
    {
        if (entries.Count == 0) throw new ArgumentException("At least one certificate is required.", nameof(entries));
        _entries = entries;
        _password = password;
        _logger = logger;
        _time = time;
        _debounce = debounce ?? DefaultDebounce;
        _loadedSignature = Signature();
        _current = LoadAll();
        _debounceTimer = CallbackGuard.CreateTimer(_time, _ => ReloadAfterFileEvent(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (watchFiles)
        {
            var interval = pollInterval ?? DefaultPollInterval;
            _poll = CallbackGuard.CreateTimer(_time, _ => ReloadIfChanged(), null, interval, interval);
            WatchDirectories();
        }
        if (reloadOnHangup && !OperatingSystem.IsWindows())
        {
            _hangup = CallbackGuard.OnSignal(PosixSignal.SIGHUP, context =>
            {
                // SIGHUP's default is to terminate; here it means "re-read the certificates" (nginx's convention).
                context.Cancel = true;
                _logger.LogInformation("SIGHUP: reloading TLS certificates");
                Reload();
            });
        }
    }

    /// <summary>The set new handshakes use.</summary>
    internal CertificateSet Current => Volatile.Read(ref _current);

    /// <summary>How many times a new set has been put in place since startup (0 = the one loaded at startup).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Loads every pair again and swaps them in; returns false (and keeps the old set) when one fails to load.</summary>
    public bool Reload()
    {
        lock (_reloadGate)
        {
            // Recorded before reading, so a write that lands while we read is seen as a change by the next poll.
            _loadedSignature = Signature();
            CertificateSet loaded;
            try
            {
                loaded = LoadAll();
            }
            catch (TlsCertificateException ex)
            {
                _logger.LogError("TLS certificate reload failed, keeping the certificates in use: {Message}", ex.Message);
                return false;
            }
            Volatile.Write(ref _current, loaded);
            Interlocked.Increment(ref _generation);
            _logger.LogInformation("TLS certificates reloaded: {Certificates}",
                string.Join("; ", loaded.Certificates.Select(c => $"{c.Leaf.Subject} (serial {c.Leaf.SerialNumber}, expires {c.Leaf.NotAfter:u})")));
            return true;
        }
    }

    private CertificateSet LoadAll() => new(_entries.Select(e => PemCertificateLoader.Load(e, _password)).ToArray());

    private void ReloadIfChanged()
    {
        bool changed;
        lock (_reloadGate) changed = !Signature().AsSpan().SequenceEqual(_loadedSignature);
        if (changed) Reload();
    }

    private void ReloadAfterFileEvent()
    {
        try { Reload(); }
        catch (Exception ex) { _logger.LogError(ex, "TLS certificate reload failed"); }
    }

    // Any event in the directory may be ours (editors and ACME clients write a temporary file, then rename it).
    private void OnDirectoryChanged(object sender, FileSystemEventArgs e) => _debounceTimer.Change(_debounce, Timeout.InfiniteTimeSpan);

    private void WatchDirectories()
    {
        var files = _entries.SelectMany(e => new[] { e.CertFile, e.KeyFile }).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in files.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Changed += CallbackGuard.Handler(OnDirectoryChanged, "certificate directory watcher");
                watcher.Created += CallbackGuard.Handler(OnDirectoryChanged, "certificate directory watcher");
                watcher.Deleted += CallbackGuard.Handler(OnDirectoryChanged, "certificate directory watcher");
                watcher.Renamed += CallbackGuard.RenamedHandler(OnDirectoryChanged, "certificate directory watcher");
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
            {
                // inotify limits reached, or a directory that cannot be watched: the periodic check still runs.
                _logger.LogWarning("Cannot watch {Directory} for certificate changes ({Message}); relying on the periodic check", directory, ex.Message);
            }
        }
    }

    private FileSignature[] Signature() =>
        _entries.SelectMany(e => new[] { e.CertFile, e.KeyFile }).Select(FileSignature.Of).ToArray();

    public void Dispose()
    {
        _hangup?.Dispose();
        _poll?.Dispose();
        _debounceTimer.Dispose();
        foreach (var watcher in _watchers) watcher.Dispose();
    }

    /// <summary>What the periodic check compares: a replaced file almost always differs in one of these.</summary>
    private readonly record struct FileSignature(bool Exists, DateTime WrittenUtc, long Length)
    {
        public static FileSignature Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileSignature(true, info.LastWriteTimeUtc, info.Length) : default;
        }
    }
}
