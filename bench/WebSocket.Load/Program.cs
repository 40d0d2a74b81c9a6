// The client of bench/websocket.sh: C connections to a WebSocket echo, each sending a binary message of N bytes and
// waiting for its whole echo before the next (one message in flight per connection), for S seconds after a 2-second
// warm-up. Prints "messages/s MiB/s p99-ms": the same client against both servers, so the ratio is server against
// server. Usage: WebSocket.Load URL CONNECTIONS BYTES SECONDS
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

var url = new Uri(args[0]);
var connections = int.Parse(args[1], CultureInfo.InvariantCulture);
var size = int.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);

var sockets = new ClientWebSocket[connections];
for (var i = 0; i < connections; i++)
{
    sockets[i] = new ClientWebSocket();
    sockets[i].Options.KeepAliveInterval = TimeSpan.Zero;
    using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    await sockets[i].ConnectAsync(url, connecting.Token);
}

var measuring = 0;
var stop = new CancellationTokenSource();
var counts = new long[connections];
var latencies = new List<double>[connections];
var workers = Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
{
    var socket = sockets[i];
    var message = new byte[size];
    Random.Shared.NextBytes(message);
    var echo = new byte[Math.Max(size, 1)];
    latencies[i] = [];
    var clock = new Stopwatch();
    while (!stop.IsCancellationRequested)
    {
        clock.Restart();
        await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
        var received = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(echo.AsMemory(received), CancellationToken.None);
            received += result.Count;
        } while (!result.EndOfMessage);
        if (received != size) throw new InvalidDataException($"echo of {received} bytes for {size}");
        if (Volatile.Read(ref measuring) == 1)
        {
            counts[i]++;
            latencies[i].Add(clock.Elapsed.TotalMilliseconds);
        }
    }
})).ToArray();

await Task.Delay(TimeSpan.FromSeconds(2));
Volatile.Write(ref measuring, 1);
var elapsed = Stopwatch.StartNew();
await Task.Delay(TimeSpan.FromSeconds(seconds));
Volatile.Write(ref measuring, 0);
var took = elapsed.Elapsed.TotalSeconds;
stop.Cancel();
await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
foreach (var socket in sockets)
{
    using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
    try { await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token); }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    socket.Dispose();
}

var total = counts.Sum();
var all = latencies.SelectMany(l => l).Order().ToArray();
var p99 = all.Length == 0 ? 0 : all[(int)Math.Min(all.Length - 1, all.Length * 0.99)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total / took:0} {total * (double)size / took / (1 << 20):0.0} {p99:0.00}"));
