using Hyper.Core.Tests.Protocols;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Core.Streams;
using Hyper.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyper.Core.Tests.Streams;

/// <summary>The ASGI HTTP stream over a recording connection: which commands ASGI messages become.</summary>
public sealed class HttpStreamTests
{
    private static RequestHead Head(bool hasBody = false) => new()
    {
        Method = hasBody ? "POST" : "GET",
        RawPath = "/p"u8.ToArray(),
        QueryString = ReadOnlyMemory<byte>.Empty,
        HttpVersion = "2",
        Headers = [],
        HasBody = hasBody,
    };

    private static (HttpStream Stream, RecordingConnection Connection) Create(AsgiApplication app, bool multiplexed = false, bool hasBody = false)
    {
        var server = new ServerContext(new HyperOptions(), app, TestRegistry.Http11Only, DisabledAccessLog.Instance, NullLogger.Instance, new FakeTimeProvider());
        var connection = new RecordingConnection(server, multiplexed);
        return (new HttpStream(connection, 1L << 40, Head(hasBody)), connection);
    }

    [Fact]
    public async Task WholeBodyInOneSend_IsOneCompleteResponseCommand()
    {
        var (stream, connection) = Create(async (_, _, send) =>
        {
            await send(new HttpResponseStart(204, []));
            await send(new HttpResponseBody("x"u8.ToArray()));
        });

        await stream.RunAsync();

        connection.Commands.Select(c => c.Kind).Should().Equal(StreamCommandKind.CompleteResponse);
        connection.Commands[0].Status.Should().Be(204);
        connection.Commands[0].Body.ToArray().Should().Equal("x"u8.ToArray());
        connection.StreamIds.Should().AllBeEquivalentTo(1L << 40, "stream ids are 62-bit through the seam");
    }

    [Fact]
    public async Task StreamedBody_StartCarriesTheFirstChunk_AndTheLastChunkEndsTheStream()
    {
        var (stream, connection) = Create(async (_, _, send) =>
        {
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody("a"u8.ToArray(), MoreBody: true));
            await send(new HttpResponseBody(ReadOnlyMemory<byte>.Empty, MoreBody: true));
            await send(new HttpResponseBody("b"u8.ToArray(), MoreBody: false));
        });

        await stream.RunAsync();

        connection.Commands.Select(c => (c.Kind, c.EndStream)).Should().Equal(
            (StreamCommandKind.StartResponse, false),
            (StreamCommandKind.Body, true));
        connection.Commands[0].WithBody.Should().BeTrue();
        Encoding.ASCII.GetString(connection.Commands[1].Body.Span).Should().Be("b");
    }

    [Fact]
    public async Task FailureBeforeTheResponse_IsAnswered500()
    {
        var (stream, connection) = Create((_, _, _) => throw new InvalidOperationException("boom"));

        await stream.RunAsync();

        connection.Commands.Should().ContainSingle().Which.Status.Should().Be(500);
    }

    [Fact]
    public async Task FailureAfterTheResponseStarted_AbortsTheStream()
    {
        var (stream, connection) = Create(async (_, _, send) =>
        {
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody("a"u8.ToArray(), MoreBody: true));
            throw new InvalidOperationException("boom");
        });

        await stream.RunAsync();

        connection.Commands.Select(c => c.Kind).Should().Equal(StreamCommandKind.StartResponse, StreamCommandKind.Abort);
    }

    [Fact]
    public async Task SendAfterTheClientLeft_RaisesClientDisconnected()
    {
        Exception? seen = null;
        var (stream, connection) = Create(async (_, _, send) =>
        {
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody("a"u8.ToArray(), MoreBody: true));
            try
            {
                await send(new HttpResponseBody("b"u8.ToArray(), MoreBody: false));
            }
            catch (Exception ex)
            {
                seen = ex;
                throw;
            }
        });
        connection.AbortAfter = 1;

        await stream.RunAsync();

        seen.Should().BeOfType<ClientDisconnectedException>();
    }

    [Fact]
    public async Task ReceiveOnAMultiplexedConnection_HandsTheConsumedBytesBack()
    {
        var received = new List<string>();
        var (stream, connection) = Create(async (_, receive, send) =>
        {
            while (await receive() is HttpRequest request)
            {
                received.Add(Encoding.ASCII.GetString(request.Body.Span));
                if (!request.MoreBody) break;
            }
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody(ReadOnlyMemory<byte>.Empty));
        }, multiplexed: true, hasBody: true);
        stream.OnBody(new System.Buffers.ReadOnlySequence<byte>("abc"u8.ToArray()));
        stream.OnBody(new System.Buffers.ReadOnlySequence<byte>("de"u8.ToArray()));
        stream.OnBodyEnded(null);

        await stream.RunAsync();

        received.Should().Equal("abc", "de");
        connection.Commands.Where(c => c.Kind == StreamCommandKind.BodyConsumed).Select(c => c.Bytes).Should().Equal(3, 2);
    }

    [Fact]
    public async Task Receive_WaitsThroughTheConnection_UntilBodyArrives()
    {
        var (stream, connection) = Create(async (_, receive, send) =>
        {
            var request = (HttpRequest)await receive();
            await send(new HttpResponseStart(200, []));
            await send(new HttpResponseBody(request.Body));
        }, hasBody: true);
        connection.OnWait = s =>
        {
            s.OnBody(new System.Buffers.ReadOnlySequence<byte>("late"u8.ToArray()));
            s.OnBodyEnded(null);
        };

        await stream.RunAsync();

        connection.Waits.Should().Be(1);
        Encoding.ASCII.GetString(connection.Commands.Single().Body.Span).Should().Be("late");
    }

    /// <summary>Records every command; the stream's only view of a connection.</summary>
    private sealed class RecordingConnection(ServerContext server, bool multiplexed) : IStreamConnection
    {
        public List<StreamCommand> Commands { get; } = [];
        public List<long> StreamIds { get; } = [];
        public int? AbortAfter { get; set; }
        public Action<IStreamHandler>? OnWait { get; set; }
        public int Waits { get; private set; }

        public ServerContext Server => server;
        public ConnectionInfo Info { get; } = new(null, null, IsTls: false);
        public ITaskScope Scope { get; } = new TestTaskScope();
        public bool IsMultiplexed => multiplexed;
        public bool CanPush(long streamId) => false;

        public ValueTask<bool> SubmitAsync(IStreamHandler stream, StreamCommand command)
        {
            if (AbortAfter is { } limit && Commands.Count >= limit) stream.OnAborted();
            if (stream.IsAborted) return ValueTask.FromResult(false);
            Commands.Add(command);
            StreamIds.Add(stream.Id);
            return ValueTask.FromResult(true);
        }

        public ValueTask<bool> WaitForInputAsync(IStreamHandler stream)
        {
            Waits++;
            OnWait?.Invoke(stream);
            return ValueTask.FromResult(OnWait is not null);
        }

        // An HTTP stream has no news of its own to be woken for.
        public void Wake(IStreamHandler stream) { }
    }
}
