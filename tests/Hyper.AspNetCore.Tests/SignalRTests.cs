using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Hyper.AspNetCore.Tests;

/// <summary>
/// A SignalR hub on every backend and on Kestrel, reached with Microsoft.AspNetCore.SignalR.Client over each of its
/// transports forced in turn: WebSockets (through IHttpUpgradeFeature), server-sent events (a response streamed
/// for the connection's life) and long polling (a request held until there is something to say).
/// </summary>
public sealed class SignalRTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public sealed class ChatHub : Hub
    {
        public string Echo(string text) => text;

        public Task Broadcast(string text) => Clients.All.SendAsync("said", text);

        public string Transport() => Context.Features.Get<IHttpTransportFeature>()!.TransportType.ToString();
    }

    public static TheoryData<string, HttpTransportType> ServersAndTransports()
    {
        var data = new TheoryData<string, HttpTransportType>();
        foreach (var server in new[] { "thread-pool", "single-thread-loop", "structured", AppHost.Kestrel })
        {
            foreach (var transport in new[] { HttpTransportType.WebSockets, HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling })
                data.Add(server, transport);
        }
        return data;
    }

    private static HubConnection Connect(AppHost host, HttpTransportType transport) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(host.Http11Uri, "/chat"), transport)
            .Build();

    [Theory]
    [MemberData(nameof(ServersAndTransports))]
    public async Task Hub_Invokes_AndBroadcastsToTwoClients(string server, HttpTransportType transport)
    {
        await using var host = await AppHost.StartAsync(server, app => app.MapHub<ChatHub>("/chat"), 
            // A message larger than SignalR's 32 KB default crosses the transports in several reads and writes.
            builder => builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024));
        using var timeout = new CancellationTokenSource(Bound);
        await using var first = Connect(host, transport);
        await using var second = Connect(host, transport);
        var firstHeard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondHeard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        first.On<string>("said", text => firstHeard.TrySetResult(text));
        second.On<string>("said", text => secondHeard.TrySetResult(text));
        await first.StartAsync(timeout.Token);
        await second.StartAsync(timeout.Token);

        (await first.InvokeAsync<string>(nameof(ChatHub.Transport), timeout.Token)).Should().Be(transport.ToString());
        (await first.InvokeAsync<string>(nameof(ChatHub.Echo), "hello ✓", timeout.Token)).Should().Be("hello ✓");
        var large = new string('x', 200_000);
        (await second.InvokeAsync<string>(nameof(ChatHub.Echo), large, timeout.Token)).Should().Be(large);

        await first.InvokeAsync(nameof(ChatHub.Broadcast), "to everyone", timeout.Token);
        (await firstHeard.Task.WaitAsync(Bound)).Should().Be("to everyone");
        (await secondHeard.Task.WaitAsync(Bound)).Should().Be("to everyone");

        await first.StopAsync(timeout.Token);
        await second.StopAsync(timeout.Token);
        first.State.Should().Be(HubConnectionState.Disconnected);
    }
}
