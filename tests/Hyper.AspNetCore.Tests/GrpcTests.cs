using Grpc.Core;
using Grpc.Net.Client;
using Hyper.AspNetCore.Tests.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Hyper.AspNetCore.Tests;

/// <summary>The gRPC service the tests call (Grpc.AspNetCore): each kind of call, a deadline, cancellation and a failure.</summary>
public sealed class GreeterService(GrpcProbe probe) : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
        Task.FromResult(new HelloReply { Message = $"Hello {request.Name}" });

    public override async Task CountUp(CountRequest request, IServerStreamWriter<Number> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++) await responseStream.WriteAsync(new Number { Value = i });
    }

    public override async Task<Number> Sum(IAsyncStreamReader<Number> requestStream, ServerCallContext context)
    {
        var sum = 0;
        await foreach (var number in requestStream.ReadAllAsync()) sum += number.Value;
        return new Number { Value = sum };
    }

    public override async Task Echo(IAsyncStreamReader<HelloRequest> requestStream, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync()) await responseStream.WriteAsync(new HelloReply { Message = "echo " + request.Name });
    }

    public override async Task<HelloReply> Wait(WaitRequest request, ServerCallContext context)
    {
        try
        {
            await Task.Delay(request.Milliseconds, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }
        return new HelloReply { Message = "waited" };
    }

    public override Task<HelloReply> Fail(HelloRequest request, ServerCallContext context)
    {
        var trailers = new Metadata { { "reason", "no greeting for " + request.Name } };
        throw new RpcException(new Status(StatusCode.NotFound, "no such greeting"), trailers);
    }
}

/// <summary>What the service saw, for the tests to wait on.</summary>
public sealed class GrpcProbe
{
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>gRPC (Grpc.AspNetCore and Grpc.Net.Client) over h2c, on every Hyper backend and on Kestrel.</summary>
public sealed class GrpcTests
{
    private static async Task<(AppHost Host, GrpcChannel Channel, GrpcProbe Probe)> StartAsync(string server)
    {
        var probe = new GrpcProbe();
        var host = await AppHost.StartAsync(server,
            app => app.MapGrpcService<GreeterService>(),
            builder =>
            {
                builder.Services.AddGrpc();
                builder.Services.AddSingleton(probe);
            });
        var channel = GrpcChannel.ForAddress(host.H2cUri, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() });
        return (host, channel, probe);
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task Unary_ServerStreaming_ClientStreaming_AndBidirectional(string server)
    {
        var (host, channel, _) = await StartAsync(server);
        await using var _host = host;
        using var _channel = channel;
        var client = new Greeter.GreeterClient(channel);

        (await client.SayHelloAsync(new HelloRequest { Name = "hyper" })).Message.Should().Be("Hello hyper");

        using (var count = client.CountUp(new CountRequest { Count = 10_000 }))
        {
            var received = 0;
            long sum = 0;
            await foreach (var number in count.ResponseStream.ReadAllAsync())
            {
                received++;
                sum += number.Value;
            }
            received.Should().Be(10_000);
            sum.Should().Be(10_000L * 10_001 / 2);
        }

        using (var summing = client.Sum())
        {
            for (var i = 1; i <= 100; i++) await summing.RequestStream.WriteAsync(new Number { Value = i });
            await summing.RequestStream.CompleteAsync();
            (await summing.ResponseAsync).Value.Should().Be(5050);
        }

        using (var echo = client.Echo())
        {
            var replies = new List<string>();
            var reading = Task.Run(async () =>
            {
                await foreach (var reply in echo.ResponseStream.ReadAllAsync()) replies.Add(reply.Message);
            });
            for (var i = 0; i < 50; i++) await echo.RequestStream.WriteAsync(new HelloRequest { Name = i.ToString() });
            await echo.RequestStream.CompleteAsync();
            await reading.WaitAsync(TimeSpan.FromSeconds(20));
            replies.Should().Equal(Enumerable.Range(0, 50).Select(i => "echo " + i));
        }
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task Deadline_IsDeadlineExceeded_AndTheServerCallIsCancelled(string server)
    {
        var (host, channel, probe) = await StartAsync(server);
        await using var _host = host;
        using var _channel = channel;
        var client = new Greeter.GreeterClient(channel);

        var call = () => client.WaitAsync(new WaitRequest { Milliseconds = 30_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync;

        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
        await probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task ClientCancellation_ReachesTheServer(string server)
    {
        var (host, channel, probe) = await StartAsync(server);
        await using var _host = host;
        using var _channel = channel;
        var client = new Greeter.GreeterClient(channel);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var call = () => client.WaitAsync(new WaitRequest { Milliseconds = 30_000 }, cancellationToken: cancel.Token).ResponseAsync;

        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Cancelled);
        await probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(Servers.All), MemberType = typeof(Servers))]
    public async Task Failure_CarriesStatusAndTrailers(string server)
    {
        var (host, channel, _) = await StartAsync(server);
        await using var _host = host;
        using var _channel = channel;
        var client = new Greeter.GreeterClient(channel);

        var call = () => client.FailAsync(new HelloRequest { Name = "nobody" }).ResponseAsync;

        var failure = (await call.Should().ThrowAsync<RpcException>()).Which;
        failure.StatusCode.Should().Be(StatusCode.NotFound);
        failure.Status.Detail.Should().Be("no such greeting");
        failure.Trailers.GetValue("reason").Should().Be("no greeting for nobody");
        // The channel (and its HTTP/2 connection) goes on serving.
        (await client.SayHelloAsync(new HelloRequest { Name = "again" })).Message.Should().Be("Hello again");
    }
}
