using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Core.Application;
using Hyper.Core.Configuration;
using Hyper.Core.Hosting;
using Hyper.Core.Logging;
using Hyper.Core.Protocols;
using Hyper.Http11;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyper.Backends.Tests;

/// <summary>
/// The check: on one loop, the application's code runs on the loop thread at entry and after every kind
/// of await — a foreign timer (Task.Delay), receive() waiting for body bytes, send(), the backend's own timers and
/// pipe reads.
/// </summary>
public sealed class LoopAffinityTests
{
    // Hyper.Core awaits without ConfigureAwait(false) for this: under a SynchronizationContext the runtime
    // refuses to inline ConfigureAwait(false) continuations (AwaitTaskContinuation.IsValidLocationForInlining)
    // and queues them to the thread pool, which would take the driver and the application off the loop.
    [Fact]
    public async Task Application_PostWithBody_EveryContinuationRunsOnTheLoopThread()
    {
        var seen = new ConcurrentQueue<(string Where, int Thread)>();
        void Record(string where) => seen.Enqueue((where, Environment.CurrentManagedThreadId));
        var backend = new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = 1 });
        var loopThread = backend.LoopThreadIds[0];

        async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
        {
            if (scope is not HttpScope) return;
            Record("entry");
            await Task.Delay(1);
            Record("after Task.Delay");
            var body = new MemoryStream();
            while (true)
            {
                var message = await receive();
                Record("after receive");
                if (message is not HttpRequest request) return;
                body.Write(request.Body.Span);
                if (!request.MoreBody) break;
            }
            var fired = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (backend.Time.CreateTimer(_ => fired.TrySetResult(Environment.CurrentManagedThreadId), null, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan))
            {
                seen.Enqueue(("in timer callback", await fired.Task));
            }
            Record("after timer");
            await send(new HttpResponseStart(200, [HeaderField.Of("content-type", "text/plain")]));
            Record("after send start");
            await send(new HttpResponseBody(body.ToArray()));
            Record("after send body");
        }

        var options = new HyperOptions { Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)], GracefulTimeout = TimeSpan.FromSeconds(2) }.Validate();
        var server = new HyperServer(options, App, backend, new ProtocolRegistry([Http11Module.Registration(options)]), DisabledAccessLog.Instance, NullLoggerFactory.Instance);
        using var shutdown = new CancellationTokenSource();
        var running = server.RunAsync(shutdown.Token);
        try
        {
            var port = ((IPEndPoint)(await server.Started.WaitAsync(TimeSpan.FromSeconds(10)))[0]).Port;
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port);
            await client.SendAsync(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello"));
            // The rest of the body comes later, so receive() really waits for bytes from the socket.
            await Task.Delay(100);
            await client.SendAsync(Encoding.ASCII.GetBytes("world"));
            var response = await ReadResponseAsync(client);
            response.Should().StartWith("HTTP/1.1 200").And.EndWith("helloworld");
        }
        finally
        {
            shutdown.Cancel();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
            await backend.DisposeAsync();
        }


        seen.Select(s => s.Where).Should().Contain(["entry", "after Task.Delay", "after receive", "in timer callback", "after send body"]);
        seen.Where(s => s.Thread != loopThread).Should().BeEmpty("every continuation must run on the loop thread {0}", loopThread);
    }

    [Fact]
    public async Task PipeRead_OnLoopConnection_CompletesOnTheLoopThread()
    {
        var backend = new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = 1 });
        try
        {
            var listeners = await backend.BindAsync(new BindAddress(BindKind.Tcp, "127.0.0.1", 0), 16);
            var port = ((IPEndPoint)listeners[0].EndPoint).Port;
            var readThread = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            backend.RootScope.Spawn(async _ =>
            {
                var connection = await listeners[0].AcceptAsync().ConfigureAwait(false);
                var result = await connection!.Transport.Input.ReadAsync().ConfigureAwait(false);
                readThread.TrySetResult(Environment.CurrentManagedThreadId);
                connection.Transport.Input.AdvanceTo(result.Buffer.End);
                connection.Abort();
            });
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port);
            await Task.Delay(50); // the read is pending before the bytes arrive
            await client.SendAsync(new byte[] { 1, 2, 3 });

            (await readThread.Task.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be(backend.LoopThreadIds[0]);
            await listeners[0].UnbindAsync();
        }
        finally
        {
            await backend.DisposeAsync();
        }
    }

    private static async Task<string> ReadResponseAsync(Socket client)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().EndsWith("helloworld", StringComparison.Ordinal))
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}
