using System.Net;
using Hyper.AspNetCore;
using Hyper.Core.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore.Tests;

/// <summary>
/// A real ASP.NET Core application on 127.0.0.1, port 0, served by Hyper on one backend or by Kestrel: the same
/// tests run on both, so what they assert is ASP.NET Core's behaviour, not Hyper's.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    public const string Kestrel = "kestrel";

    private AppHost(WebApplication app, string server, Uri http11, Uri h2c)
    {
        App = app;
        Server = server;
        Http11Uri = http11;
        H2cUri = h2c;
    }

    public WebApplication App { get; }
    public string Server { get; }

    /// <summary>Where HTTP/1.1 is served.</summary>
    public Uri Http11Uri { get; }

    /// <summary>Where HTTP/2 with prior knowledge (h2c) is served: the same port on Hyper; Kestrel needs an HTTP/2-only endpoint for it.</summary>
    public Uri H2cUri { get; }

    public bool IsHyper => Server != Kestrel;

    public static async Task<AppHost> StartAsync(string server, Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null,
        string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = contentRoot ?? AppContext.BaseDirectory,
            WebRootPath = contentRoot is null ? null : Path.Combine(contentRoot, "wwwroot"),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider());
        if (server == Kestrel)
        {
            builder.WebHost.UseKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1AndHttp2);
                k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            });
        }
        else
        {
            builder.WebHost.UseHyper(o => o.Options = o.Options with
            {
                Bind = [new BindAddress(BindKind.Tcp, "127.0.0.1", 0)],
                WorkerClass = server,
                GracefulTimeout = TimeSpan.FromSeconds(5),
            });
        }
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        var http11 = new Uri(addresses[0]);
        var h2c = new Uri(addresses.Length > 1 ? addresses[1] : addresses[0]);
        return new AppHost(app, server, http11, h2c);
    }

    public HttpClient CreateClient(string version = "1.1")
    {
        var http2 = version == "2";
        return new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = http2 ? H2cUri : Http11Uri,
            DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}

public static class HttpClientRequests
{
    /// <summary>A request in the client's HTTP version: a hand-made HttpRequestMessage does not take DefaultRequestVersion.</summary>
    public static HttpRequestMessage Request(this HttpClient client, HttpMethod method, string path) => new(method, path)
    {
        Version = client.DefaultRequestVersion,
        VersionPolicy = client.DefaultVersionPolicy,
    };
}

/// <summary>The servers every test runs on: Hyper on each backend, and Kestrel.</summary>
public static class Servers
{
    public static TheoryData<string> All => new() { "thread-pool", "single-thread-loop", "structured", AppHost.Kestrel };

    /// <summary>Each server with each client protocol (HTTP/1.1, h2c).</summary>
    public static TheoryData<string, string> AllWithVersions
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var server in new[] { "thread-pool", "single-thread-loop", "structured", AppHost.Kestrel })
            {
                data.Add(server, "1.1");
                data.Add(server, "2");
            }
            return data;
        }
    }
}

/// <summary>Errors and warnings go to the test output (standard error), so a failing run shows what the server said.</summary>
internal sealed class TestOutputLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);
    public void Dispose() { }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Console.Error.WriteLine($"[{logLevel}] {category}: {formatter(state, exception)} {exception}");
        }
    }
}
