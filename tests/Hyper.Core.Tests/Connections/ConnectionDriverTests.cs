using Hyper.Core.Tests.Protocols;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Connections;
using Hyper.Core.Hosting;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Hyper.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Connections;

/// <summary>The connection driver over an in-memory transport, a toy protocol and a fake clock.</summary>
public sealed class ConnectionDriverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    private static async ValueTask Echo(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        var path = ((HttpScope)scope).Path;
        await send(new HttpResponseStart(200, []));
        await send(new HttpResponseBody(Encoding.ASCII.GetBytes("hi " + path)));
    }

    private (ConnectionDriver Driver, InMemoryTransport Transport, LineProtocol Protocol) Connect(
        AsgiApplication app, IReadOnlyList<IStreamHandlerFactory>? handlers = null)
    {
        var options = new HyperOptions { IncludeDateHeader = false, IncludeServerHeader = false };
        var server = new ServerContext(options, app, TestRegistry.Http11Only, DisabledAccessLog.Instance, NullLogger.Instance, _time)
        {
            StreamHandlers = handlers ?? [HttpStreamFactory.Instance],
        };
        var transport = new InMemoryTransport();
        var protocol = new LineProtocol(MonotonicTime.Now(_time));
        var info = new ConnectionInfo(transport.RemoteEndPoint, transport.LocalEndPoint, IsTls: false);
        return (new ConnectionDriver(server, transport, protocol, info, new TestTaskScope()), transport, protocol);
    }

    [Fact]
    public async Task Request_RunsTheApplication_AndItsResponseReachesTheClient()
    {
        var (driver, transport, _) = Connect(Echo);
        var running = driver.RunAsync(CancellationToken.None);

        await transport.ClientSendsAsync("/a\n");
        (await transport.ClientReadsUntilAsync("\n", Wait)).Should().Be("200 hi /a\n");
        await transport.ClientSendsAsync("/b\n");
        (await transport.ClientReadsUntilAsync("\n", Wait)).Should().Be("200 hi /b\n");

        await transport.ClientClosesAsync();
        await running.WaitAsync(Wait);
    }

    [Fact]
    public async Task PipelinedRequests_AreServedInOrder()
    {
        var (driver, transport, protocol) = Connect(Echo);
        var running = driver.RunAsync(CancellationToken.None);

        await transport.ClientSendsAsync("/1\n/2\n/3\n");

        (await transport.ClientReadsUntilAsync("200 hi /3\n", Wait)).Should().Be("200 hi /1\n200 hi /2\n200 hi /3\n");
        protocol.Requests.Should().Be(3);
        await transport.ClientClosesAsync();
        await running.WaitAsync(Wait);
    }

    [Fact]
    public async Task HandlerFactories_AreAskedInOrder_AndANewStreamKindNeedsNoDriverChange()
    {
        var (driver, transport, _) = Connect(Echo, [new PathStreamFactory("/custom"), HttpStreamFactory.Instance]);
        var running = driver.RunAsync(CancellationToken.None);

        await transport.ClientSendsAsync("/custom\n");
        (await transport.ClientReadsUntilAsync("\n", Wait)).Should().Be("201 custom stream 1\n");
        await transport.ClientSendsAsync("/other\n");
        (await transport.ClientReadsUntilAsync("\n", Wait)).Should().Be("200 hi /other\n");

        await transport.ClientClosesAsync();
        await running.WaitAsync(Wait);
    }

    [Fact]
    public async Task IdleDeadline_OnTheFakeClock_WakesTheOwnerAndClosesTheConnection()
    {
        var (driver, transport, _) = Connect(Echo);
        var running = driver.RunAsync(CancellationToken.None);
        await transport.ClientSendsAsync("/a\n");
        await transport.ClientReadsUntilAsync("\n", Wait);

        _time.Advance(TimeSpan.FromSeconds(4));
        (await transport.ClientSeesCloseAsync(TimeSpan.FromMilliseconds(200))).Should().BeFalse("the idle timeout has not passed");

        _time.Advance(TimeSpan.FromSeconds(2));
        (await transport.ClientSeesCloseAsync(Wait)).Should().BeTrue("the timer woke the owner, which ran the protocol's deadline");
        await running.WaitAsync(Wait);
    }

    [Fact]
    public async Task ApplicationFailureAfterStart_AbortsTheStreamAndClosesTheConnection()
    {
        var (driver, transport, _) = Connect(async (_, _, send) =>
        {
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody("part"u8.ToArray(), MoreBody: true));
            throw new InvalidOperationException("boom");
        });
        var running = driver.RunAsync(CancellationToken.None);

        await transport.ClientSendsAsync("/a\n");

        (await transport.ClientSeesCloseAsync(Wait)).Should().BeTrue();
        await running.WaitAsync(Wait);
    }

    /// <summary>A stream kind of the test's own: answers one path itself, through IStreamConnection only.</summary>
    private sealed class PathStreamFactory(string path) : IStreamHandlerFactory
    {
        public IStreamHandler? TryCreate(IStreamConnection connection, long streamId, RequestHead head, IStreamHandler? spare) =>
            Encoding.ASCII.GetString(head.RawPath.Span) == path ? new FixedAnswerStream(connection, streamId) : null;
    }

    private sealed class FixedAnswerStream(IStreamConnection connection, long id) : IStreamHandler
    {
        public long Id => id;
        public bool ResponseStarted { get; private set; }
        public bool IsOver => ResponseStarted;
        public bool IsAborted { get; private set; }
        public bool HasInput => false;

        public async Task RunAsync()
        {
            ResponseStarted = true;
            await connection.SubmitAsync(this, StreamCommand.CompleteResponse(201, [], Encoding.ASCII.GetBytes($"custom stream {Id}")));
        }

        public void OnBody(System.Buffers.ReadOnlySequence<byte> data) { }
        public void OnBodyEnded(IReadOnlyList<HeaderField>? trailers) { }
        public void OnAborted() => IsAborted = true;
        public void OnCompleted() { }
    }
}
