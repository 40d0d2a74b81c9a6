using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Hyper.AspNetCore.Tests;

/// <summary>
/// IHttpMinRequestBodyDataRateFeature: a request sets its own minimum body rate, or turns the server's off, on every
/// backend and on Kestrel.
/// </summary>
public sealed class RequestBodyRateTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>The server-wide rule: off, or 1000 bytes/s after 2 s.</summary>
    private static Action<WebApplicationBuilder> ServerRule(string server, bool strict) => builder =>
    {
        if (server == AppHost.Kestrel)
        {
            builder.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = strict ? new MinDataRate(1000, TimeSpan.FromSeconds(2)) : null);
        }
        else
        {
            builder.WebHost.UseHyper(o => o.Options = o.Options with
            {
                MinRequestBodyRate = strict ? 1000 : 0,
                MinRequestBodyRateGrace = TimeSpan.FromSeconds(2),
            });
        }
    };

    private static void MapUploads(WebApplication app)
    {
        app.MapPost("/strict", async (HttpContext context) =>
        {
            context.Features.Get<IHttpMinRequestBodyDataRateFeature>()!.MinDataRate = new MinDataRate(1000, TimeSpan.FromSeconds(2));
            return Results.Text((await Drain(context.Request.Body)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.MapPost("/lenient", async (HttpContext context) =>
        {
            context.Features.Get<IHttpMinRequestBodyDataRateFeature>()!.MinDataRate = null;
            return Results.Text((await Drain(context.Request.Body)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.MapPost("/default", async (HttpContext context) =>
            Results.Text((await Drain(context.Request.Body)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static async Task<long> Drain(Stream body)
    {
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) total += read;
        return total;
    }

    /// <summary>A body that sends 10 bytes, stalls for <paramref name="stall"/>, then sends the other 990.</summary>
    private sealed class StallingContent(TimeSpan stall) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[10]);
            await stream.FlushAsync();
            await Task.Delay(stall);
            await stream.WriteAsync(new byte[990]);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 1000;
            return true;
        }
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task AStalledUpload_IsAnswered408_WhenTheRequestSetsAMinimumRate(string server)
    {
        // The server's own rule is off: only the request's rate can end this upload.
        await using var host = await AppHost.StartAsync(server, MapUploads, ServerRule(server, strict: false));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, host.Http11Uri.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /strict HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n0123456789"));

        // Nothing more is sent: the answer comes once the 2 s grace is over and 10 bytes fall short of 1000 bytes/s.
        using var timeout = new CancellationTokenSource(Bound);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        received.ToString().Should().StartWith("HTTP/1.1 408");
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task AStalledUpload_IsServed_WhenTheRequestTurnsTheServersRateOff(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, MapUploads, ServerRule(server, strict: true));
        using var client = host.CreateClient(version);
        var stall = TimeSpan.FromSeconds(3.5);

        var lenient = await client.PostAsync("/lenient", new StallingContent(stall));
        lenient.StatusCode.Should().Be(HttpStatusCode.OK);
        (await lenient.Content.ReadAsStringAsync()).Should().Be("1000");

        // The same stall without the request's say is cut by the server's rule (a 408, or the upload broken off).
        HttpResponseMessage? strict = null;
        try
        {
            strict = await client.PostAsync("/default", new StallingContent(stall));
        }
        catch (HttpRequestException)
        {
        }
        strict?.StatusCode.Should().NotBe(HttpStatusCode.OK);
    }
}
