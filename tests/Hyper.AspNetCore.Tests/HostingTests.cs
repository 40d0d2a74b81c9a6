using System.Net;
using System.Net.Http.Json;
using Hyper.Core.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore.Tests;

/// <summary>How UseHyper takes its options (code, the Hyper section, the host's URLs) and what the server reports.</summary>
public sealed class HostingTests
{
    private static WebApplication Build(string[] args, Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        configure(builder);
        var app = builder.Build();
        app.MapGet("/", (HttpContext context) => $"{context.Request.Protocol} {context.Connection.LocalPort}");
        return app;
    }

    [Fact]
    public async Task Urls_FromTheCommandLine_AreBound_WithPortZeroResolved()
    {
        await using var app = Build(["--urls", "http://127.0.0.1:0"], b => b.WebHost.UseHyper());
        await app.StartAsync();
        try
        {
            var server = (HyperAspNetCoreServer)app.Services.GetRequiredService<IServer>();
            var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.Should().ContainSingle().Subject;
            var uri = new Uri(address);
            uri.Host.Should().Be("127.0.0.1");
            uri.Port.Should().BeGreaterThan(0);
            server.EffectiveOptions!.Bind.Should().Equal(new BindAddress(BindKind.Tcp, "127.0.0.1", 0));

            using var client = new HttpClient { BaseAddress = uri };
            (await client.GetStringAsync("/")).Should().Be($"HTTP/1.1 {uri.Port}");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task HyperSection_IsBoundWithTheTomlKeys_AndCodeWinsOverIt()
    {
        await using var app = Build([], b =>
        {
            b.Configuration["Hyper:bind"] = "127.0.0.1:0";
            b.Configuration["Hyper:worker_class"] = "structured";
            b.Configuration["Hyper:keep_alive_timeout"] = "7";
            b.Configuration["Hyper:include_server_header"] = "false";
            b.WebHost.UseHyper(o => o.Options = o.Options with { KeepAliveTimeout = TimeSpan.FromSeconds(9) });
        });
        await app.StartAsync();
        try
        {
            var server = (HyperAspNetCoreServer)app.Services.GetRequiredService<IServer>();
            server.EffectiveOptions!.WorkerClass.Should().Be("structured");
            server.EffectiveOptions.KeepAliveTimeout.Should().Be(TimeSpan.FromSeconds(9));
            using var client = new HttpClient { BaseAddress = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
            var response = await client.GetAsync("/");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Headers.Server.Should().BeEmpty("include_server_header = false came from the Hyper section");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void UnknownKey_InTheHyperSection_FailsTheBuild_NamingIt()
    {
        // WebApplication resolves its server when it is built: a wrong key stops the app there, before it listens.
        var build = () => Build([], b =>
        {
            b.Configuration["Hyper:worker_clas"] = "structured";
            b.WebHost.UseHyper();
        });

        build.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("worker_clas").And.Contain("worker_class");
    }

    [Fact]
    public async Task BindFromTheHyperSection_WinsOverTheHostsUrls()
    {
        await using var app = Build(["--urls", "http://127.0.0.1:1"], b =>
        {
            b.Configuration["Hyper:bind"] = "127.0.0.1:0";
            b.WebHost.UseHyper();
        });
        await app.StartAsync();
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            address.Port.Should().NotBe(1).And.BeGreaterThan(0);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task Features_DescribeTheRequestAndTheConnection(string server)
    {
        await using var host = await AppHost.StartAsync(server, app => app.MapGet("/features/{*rest}", (HttpContext context) =>
        {
            var features = context.Features;
            return Results.Json(new Dictionary<string, object?>
            {
                ["path"] = context.Request.Path.Value,
                ["query"] = context.Request.QueryString.Value,
                ["host"] = context.Request.Host.Value,
                ["remote"] = context.Connection.RemoteIpAddress?.ToString(),
                ["local_port"] = context.Connection.LocalPort,
                ["connection_id"] = context.Connection.Id.Length > 0,
                ["trace_id"] = context.TraceIdentifier.Length > 0,
                ["can_have_body"] = features.Get<IHttpRequestBodyDetectionFeature>()!.CanHaveBody,
                ["max_body"] = features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize,
                ["stream_id"] = features.Get<IHttp2StreamIdFeature>()?.StreamId,
                ["trailers_out"] = features.Get<IHttpResponseTrailersFeature>() is not null,
                ["reset"] = features.Get<IHttpResetFeature>() is not null,
                ["tls"] = features.Get<ITlsConnectionFeature>() is not null,
            });
        }));

        foreach (var version in new[] { "1.1", "2" })
        {
            using var client = host.CreateClient(version);
            var json = await client.GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>("/features/a%20b%2Fc?x=1&y=%20");
            var h2 = version == "2";
            json!["path"].GetString().Should().Be("/features/a b%2Fc");
            json["query"].GetString().Should().Be("?x=1&y=%20");
            json["host"].GetString().Should().Be($"127.0.0.1:{(h2 ? host.H2cUri : host.Http11Uri).Port}");
            json["remote"].GetString().Should().Be("127.0.0.1");
            json["local_port"].GetInt32().Should().Be((h2 ? host.H2cUri : host.Http11Uri).Port);
            json["connection_id"].GetBoolean().Should().BeTrue();
            json["trace_id"].GetBoolean().Should().BeTrue();
            json["can_have_body"].GetBoolean().Should().BeFalse();
            json["max_body"].GetInt64().Should().Be(30_000_000);
            if (h2) json["stream_id"].GetInt32().Should().Be(1);
            else json["stream_id"].ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
            json["trailers_out"].GetBoolean().Should().Be(h2);
            json["reset"].GetBoolean().Should().Be(h2);
            json["tls"].GetBoolean().Should().BeFalse();
        }
    }

    [Theory]
    [MemberData(nameof(Servers.AllWithVersions), MemberType = typeof(Servers))]
    public async Task RequestBody_OverTheLimit_Is413(string server, string version)
    {
        await using var host = await AppHost.StartAsync(server, app => app.MapPost("/small", async (HttpContext context) =>
        {
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = 1000;
            using var reader = new StreamReader(context.Request.Body);
            return (await reader.ReadToEndAsync()).Length.ToString();
        }));
        using var client = host.CreateClient(version);

        (await client.PostAsync("/small", new ByteArrayContent(new byte[1000]))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsync("/small", new ByteArrayContent(new byte[1001]))).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }
}
