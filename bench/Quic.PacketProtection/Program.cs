using System.Diagnostics;
using System.Security.Cryptography;
using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;

// Single-threaded Stopwatch loops over Hyper.Quic's per-packet crypto: a full-size 1-RTT packet (1200 bytes on the
// wire) protected and then unprotected in place, and the header protection mask alone for each implementation.
// Usage: dotnet run -c Release --project bench/Quic.PacketProtection [seconds per case, default 1]
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
Console.WriteLine($"Hyper.Quic packet protection, {Environment.ProcessorCount} cores, {seconds:0.#} s per case, AES-NI={AesNiHeaderProtection.IsSupported}");
Console.WriteLine();
// Wall-clock rates suffer when other processes share the cores; CPU time per operation (this process's processor
// time, nearly all on this one thread since nothing is allocated) is the figure that survives a loaded machine.
Console.WriteLine("| case | ops/s (wall) | ns/op (wall) | ns/op (CPU) | MB/s (CPU, packet bytes) | bytes allocated/op |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");

const int PacketLength = 1200;
var dcid = RandomNumberGenerator.GetBytes(8);
foreach (var suite in new[] { QuicCipherSuite.Aes128GcmSha256, QuicCipherSuite.Aes256GcmSha384, QuicCipherSuite.ChaCha20Poly1305Sha256 })
{
    using var sender = PacketProtection.Create(PacketKeys.Derive(suite, RandomNumberGenerator.GetBytes(suite.SecretLength())));
    var packet = new byte[PacketLength];
    long packetNumber = 0;
    Run($"{suite}: protect + unprotect, {PacketLength} B", PacketLength, () =>
    {
        var headerLength = PacketHeaderWriter.WriteShortHeader(packet, dcid, packetNumber, 2, keyPhase: false);
        sender.Protect(packet, 1 + dcid.Length, packetNumber);
        if (!sender.TryUnprotect(packet, 1 + dcid.Length, packetNumber - 1, out _, out _, out _))
            throw new InvalidOperationException("Round trip failed.");
        packetNumber++;
    });
}

var sample = RandomNumberGenerator.GetBytes(16);
var mask = new byte[5];
var aesKey = RandomNumberGenerator.GetBytes(16);
using (var oneShot = Aes.Create())
{
    // For comparison: the one-shot ECB call on a reused Aes instance, which Hyper.Quic does not use.
    oneShot.Key = aesKey;
    var block = new byte[16];
    Run("header protection mask: AES-128 via Aes.EncryptEcb one-shot (not used)", 0, () => oneShot.EncryptEcb(sample, block, PaddingMode.None));
}
using (var ecb = new AesEcbHeaderProtection(aesKey)) Run("header protection mask: AES-128 via reused ECB transform (fallback)", 0, () => ecb.ComputeMask(sample, mask));
if (AesNiHeaderProtection.IsSupported)
{
    using var ni = new AesNiHeaderProtection(aesKey);
    Run("header protection mask: AES-128 via AES-NI", 0, () => ni.ComputeMask(sample, mask));
}
using (var chacha = new ChaCha20HeaderProtection(RandomNumberGenerator.GetBytes(32))) Run("header protection mask: ChaCha20 (managed)", 0, () => chacha.ComputeMask(sample, mask));

void Run(string name, int bytesPerOp, Action op)
{
    // Warm up (tiered JIT), then count whole batches until the time is up.
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < seconds / 4) op();
    const int batch = 1000;
    long ops = 0;
    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < batch; i++) op();
        ops += batch;
    }
    var elapsed = clock.Elapsed.TotalSeconds;
    var cpuNanoseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / ops;
    var allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / ops;
    var rate = ops / elapsed;
    var throughput = bytesPerOp == 0 ? "–" : $"{bytesPerOp / cpuNanoseconds * 1e3:0}";
    Console.WriteLine($"| {name} | {rate:N0} | {1e9 / rate:0} | {cpuNanoseconds:0} | {throughput} | {allocated:0.##} |");
}
