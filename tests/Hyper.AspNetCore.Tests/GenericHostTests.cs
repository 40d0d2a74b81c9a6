using System.Net;
using Hyper.Core.Application;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore.Tests;

/// <summary><c>services.AddHyper(app)</c>: an ASGI application in a generic host, started and stopped with it.</summary>
public sealed class GenericHostTests
{
    [Theory]
    [InlineData("thread-pool")]
    [InlineData("single-thread-loop")]
    [InlineData("structured")]
    public async Task AsgiApplication_IsServedForTheHostsLifetime_WithLifespan(string backend)
    {
        var lifespan = new List<string>();
        AsgiApplication app = async (scope, receive, send) =>
        {
            if (scope is LifespanScope)
            {
                while (true)
                {
                    var message = await receive();
                    lock (lifespan) lifespan.Add(message.Type);
                    if (message is LifespanStartup) await send(LifespanStartupComplete.Instance);
                    else if (message is LifespanShutdown)
                    {
                        await send(LifespanShutdownComplete.Instance);
                        return;
                    }
                }
            }
            await send(new HttpResponseStart(200, [HeaderField.Of("content-type", "text/plain")]));
            await send(new HttpResponseBody("asgi in a generic host"u8.ToArray()));
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration["Hyper:bind"] = "127.0.0.1:0";
        builder.Configuration["Hyper:worker_class"] = backend;
        builder.Services.AddHyper(app, o => o.Options = o.Options with { GracefulTimeout = TimeSpan.FromSeconds(5) });
        using var host = builder.Build();

        await host.StartAsync();
        var service = host.Services.GetRequiredService<HyperHostedService>();
        var port = ((IPEndPoint)service.Server!.BoundAddresses.Single()).Port;
        using (var client = new HttpClient())
        {
            var response = await client.GetAsync($"http://127.0.0.1:{port}/");
            (await response.Content.ReadAsStringAsync()).Should().Be("asgi in a generic host");
            response.Headers.Server.ToString().Should().Be("hyper");
        }
        await host.StopAsync();

        lifespan.Should().Equal("lifespan.startup", "lifespan.shutdown");
        var connect = async () =>
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
        };
        await connect.Should().ThrowAsync<System.Net.Sockets.SocketException>("the host's stop closed the listener");
    }
}
