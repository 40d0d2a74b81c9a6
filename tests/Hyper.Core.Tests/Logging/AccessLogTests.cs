using System.Text;
using Hyper.Core.Logging;

namespace Hyper.Core.Tests.Logging;

public class AccessLogTests
{
    private static readonly AccessLogFormatter StatusAndPath = new("%(s)s %(U)s");

    /// <summary>A writer that counts flushes, so the tests can tell buffered lines from written ones.</summary>
    private sealed class RecordingWriter : StringWriter
    {
        public StringBuilder Flushed { get; } = new();
        public int FlushCount { get; private set; }

        public override void Flush()
        {
            Flushed.Clear().Append(GetStringBuilder());
            FlushCount++;
        }
    }

    [Fact]
    public void Log_OneEntry_WritesOneLineButDoesNotFlush()
    {
        var clock = new ManualTimeProvider();
        var writer = new RecordingWriter();
        using var log = new AccessLog(writer, StatusAndPath, clock);

        log.Log(SampleEntries.Get(path: "/a"));

        writer.ToString().Should().Be("200 /a\n");
        writer.FlushCount.Should().Be(0);
        log.IsEnabled.Should().BeTrue();
    }

    [Fact]
    public void Log_AfterFlushInterval_TimerFlushesPendingLines()
    {
        var clock = new ManualTimeProvider();
        var writer = new RecordingWriter();
        using var log = new AccessLog(writer, StatusAndPath, clock);

        log.Log(SampleEntries.Get(path: "/a"));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        writer.FlushCount.Should().Be(0);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        writer.FlushCount.Should().Be(1);
        writer.Flushed.ToString().Should().Be("200 /a\n");
    }

    [Fact]
    public void Timer_NothingPending_DoesNotFlush()
    {
        var clock = new ManualTimeProvider();
        var writer = new RecordingWriter();
        using var log = new AccessLog(writer, StatusAndPath, clock);

        clock.Advance(TimeSpan.FromSeconds(5));

        writer.FlushCount.Should().Be(0);
    }

    [Fact]
    public void Dispose_PendingLines_FlushesStopsTimerAndIgnoresLaterEntries()
    {
        var clock = new ManualTimeProvider();
        var writer = new RecordingWriter();
        var log = new AccessLog(writer, StatusAndPath, clock);
        log.Log(SampleEntries.Get(path: "/a"));

        log.Dispose();
        log.Log(SampleEntries.Get(path: "/late"));
        log.Dispose();

        writer.Flushed.ToString().Should().Be("200 /a\n");
        writer.ToString().Should().NotContain("/late");
        clock.ActiveTimers.Should().Be(0);
    }

    [Fact]
    public async Task Log_ManyThreads_EveryLineWholeAndPresent()
    {
        var clock = new ManualTimeProvider();
        var writer = new RecordingWriter();
        using var log = new AccessLog(writer, StatusAndPath, clock);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++) log.Log(SampleEntries.Get(path: $"/t{t}/r{i}"));
        })));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(4000).And.OnlyHaveUniqueItems();
        lines.Should().AllSatisfy(l => l.Should().MatchRegex(@"^200 /t\d/r\d+$"));
    }

    [Fact]
    public void Open_FilePath_AppendsToExistingFileOnDispose()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyper-access-{Guid.NewGuid():N}.log");
        File.WriteAllText(path, "earlier\n");
        try
        {
            using (var log = AccessLog.Open(path, new AccessLogJsonFormatter(), new ManualTimeProvider()))
            {
                log.Log(SampleEntries.Get());
                log.Log(SampleEntries.Get());
            }

            var lines = File.ReadAllLines(path);
            lines.Should().HaveCount(3);
            lines[0].Should().Be("earlier");
            lines[1].Should().StartWith("{\"time\":");
            File.ReadAllBytes(path).Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "the log has no BOM");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Flush_Explicit_WritesToFileBeforeDispose()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyper-access-{Guid.NewGuid():N}.log");
        try
        {
            using var log = AccessLog.Open(path, StatusAndPath, new ManualTimeProvider());
            log.Log(SampleEntries.Get(path: "/x"));
            ReadShared(path).Should().BeEmpty();

            log.Flush();

            ReadShared(path).Should().Be("200 /x\n");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void DisabledAccessLog_IsNotEnabled()
    {
        DisabledAccessLog.Instance.IsEnabled.Should().BeFalse();
        DisabledAccessLog.Instance.Log(SampleEntries.Get());
    }
}
