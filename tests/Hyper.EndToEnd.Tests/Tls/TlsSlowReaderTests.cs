using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.EndToEnd.Tests.Tls;

/// <summary>
/// Slow read over TLS (docs/security.md SL-03): the TLS connection judges the client on what the socket underneath
/// had acknowledged, so a tiny-window client that never reads is cut as over cleartext.
/// </summary>
public sealed class TlsSlowReaderTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    public void Dispose() => _tls.Dispose();

    [Theory, MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task TinyWindowClientThatNeverReads_IsCut(string backend)
    {
        var outcome = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TlsTestServer.StartAsync(backend, async (scope, receive, send) =>
        {
            if (scope is not HttpScope) return;
            var chunk = new byte[64 * 1024];
            try
            {
                await send(new HttpResponseStart(200, []));
                // Bounded: 64 MiB is far more than loopback socket buffers hold.
                for (var i = 0; i < 1024; i++) await send(new HttpResponseBody(chunk, MoreBody: true));
                outcome.TrySetResult(null);
            }
            catch (Exception ex) { outcome.TrySetResult(ex); }
        }, _tls, configure: o => o with { MinResponseRate = 5_000, MinResponseRateGrace = TimeSpan.FromSeconds(1) });

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port).WaitAsync(TimeSpan.FromSeconds(10));
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).WaitAsync(TimeSpan.FromSeconds(10));
        await ssl.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // Never read: grace 1 s, the bank (5 KB) and one-second checks put the cut near 3 s; the bound allows for load.
        var raised = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(20));

        raised.Should().BeOfType<ClientDisconnectedException>();
    }
}
