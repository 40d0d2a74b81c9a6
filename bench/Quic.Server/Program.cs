using System.Diagnostics;
using System.Globalization;
using Hyper.Backends.SingleThreadLoop;
using Hyper.Backends.Structured;
using Hyper.Backends.ThreadPool;
using Hyper.Core.Concurrency;
using Hyper.Core.Configuration;
using Hyper.Transport.Quic;
using Microsoft.Extensions.Logging.Abstractions;

// Quic.Server BACKEND PORT CERTFILE KEYFILE BODY_BYTES [RETRY]
// Prints "ready"; then on each stdin line "mem" prints the managed heap after a full collection and the process CPU
// time; stops at end of input.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: Quic.Server BACKEND PORT CERTFILE KEYFILE BODY_BYTES [never|always|auto]");
    return 2;
}
IServerBackend backend = args[0] switch
{
    "thread-pool" => new ThreadPoolBackend(),
    "structured" => new StructuredBackend(),
    "single-thread-loop" => new SingleThreadLoopBackend(new SingleThreadLoopOptions { Loops = 1 }),
    _ => throw new ArgumentException($"unknown backend {args[0]}"),
};
var options = new HyperOptions
{
    QuicBind = [BindAddress.Parse($"127.0.0.1:{args[1]}")],
    Tls = new TlsOptions { CertFiles = [args[2]], KeyFiles = [args[3]] },
    QuicRetry = args.Length > 5 ? args[5] : "never",
}.Validate();
var body = new byte[int.Parse(args[4], CultureInfo.InvariantCulture)];
Random.Shared.NextBytes(body);
var server = new QuicServer(options, backend, new FixedResponse(body), NullLoggerFactory.Instance);
await server.StartAsync();
Console.WriteLine("ready");
string? line;
while ((line = Console.ReadLine()) is not null)
{
    if (line != "mem") continue;
    var heap = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine(FormattableString.Invariant(
        $"heap {heap} connections {server.Counters.Connections} cpu_ms {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0} datagrams_in {server.Counters.DatagramsReceived} timer_firings {server.Counters.TimerFirings}"));
}
await server.DisposeAsync();
await backend.DisposeAsync();
return 0;
