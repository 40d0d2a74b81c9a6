using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyper.Quic.Crypto;
using Hyper.Quic.Packets;
using Hyper.Quic.Tls;
using Hyper.Quic.Transport;

// Server-side handshake cost: one ClientHello in, the whole server flight out (ServerHello, EncryptedExtensions,
// Certificate, CertificateVerify, Finished, all secrets). That is the expensive half: a fresh key pair, one key
// agreement, one signature and the key schedule. The client's Finished costs the server one HMAC more.
// Usage: dotnet run -c Release --project bench/Quic.Handshake [seconds per case, default 1]
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
Console.WriteLine($"Hyper.Quic TLS server handshake, {Environment.ProcessorCount} cores, {seconds:0.#} s per case");
Console.WriteLine();
Console.WriteLine("| case | handshakes/s (wall) | µs/handshake (CPU) | KB allocated/handshake |");
Console.WriteLine("|---|---:|---:|---:|");

var now = DateTimeOffset.UtcNow;
using var ecdsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
using var rsaKey = RSA.Create(2048);
using var ecdsa = new ServerCertificate(new CertificateRequest("CN=localhost", ecdsaKey, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddDays(-1), now.AddDays(1)));
using var rsa = new ServerCertificate(new CertificateRequest("CN=localhost", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(now.AddDays(-1), now.AddDays(1)));
var serverParameters = new TransportParameters
{
    OriginalDestinationConnectionId = new ConnectionId(RandomNumberGenerator.GetBytes(8)),
    InitialSourceConnectionId = new ConnectionId(RandomNumberGenerator.GetBytes(8)),
};

foreach (var (certificateName, certificate) in new[] { ("ECDSA P-256", ecdsa), ("RSA-2048 PSS", rsa) })
{
    foreach (var group in new[] { NamedGroup.X25519, NamedGroup.Secp256r1 })
    {
        using var clientKey = KeyExchanges.Create(group);
        var hello = ClientHello(group, clientKey.PublicKey);
        var options = new TlsServerOptions { CertificateSelector = new Fixed(certificate), ApplicationProtocols = ["h3"] };
        Run($"{group}, {certificateName}", () =>
        {
            using var server = new TlsServerHandshake(options, serverParameters);
            server.ReceiveCryptoData(EncryptionLevel.Initial, 0, hello);
            var events = 0;
            while (server.TryGetEvent(out _))
                events++;
            if (events != 4)
                throw new InvalidOperationException($"Expected 4 events, got {events}.");
        });
    }
}

static byte[] ClientHello(NamedGroup group, ReadOnlySpan<byte> publicKey)
{
    var w = new TlsWriter();
    var message = HandshakeMessageWriter.BeginMessage(w, HandshakeType.ClientHello);
    w.WriteUInt16(0x0303);
    w.WriteBytes(RandomNumberGenerator.GetBytes(32));
    w.WriteUInt8(0);
    w.WriteUInt16(2);
    w.WriteUInt16((ushort)QuicCipherSuite.Aes128GcmSha256);
    w.WriteUInt8(1);
    w.WriteUInt8(0);
    var extensions = w.BeginVector(2);
    Extension(w, ExtensionType.SupportedVersions, x => x.WriteBytes([2, 0x03, 0x04]));
    Extension(w, ExtensionType.SupportedGroups, x => x.WriteBytes([0, 4, 0x00, 0x1d, 0x00, 0x17]));
    Extension(w, ExtensionType.SignatureAlgorithms, x => x.WriteBytes([0, 4, 0x04, 0x03, 0x08, 0x04]));
    Extension(w, ExtensionType.ApplicationLayerProtocolNegotiation, x => x.WriteBytes([0, 3, 2, (byte)'h', (byte)'3']));
    var key = publicKey.ToArray();
    Extension(w, ExtensionType.KeyShare, x =>
    {
        var list = x.BeginVector(2);
        x.WriteUInt16((ushort)group);
        var k = x.BeginVector(2);
        x.WriteBytes(key);
        x.EndVector(k);
        x.EndVector(list);
    });
    var parameters = TransportParameterCodec.Encode(new TransportParameters { InitialSourceConnectionId = new ConnectionId([1, 2, 3, 4]) });
    Extension(w, ExtensionType.QuicTransportParameters, x => x.WriteBytes(parameters));
    w.EndVector(extensions);
    w.EndVector(message);
    return w.ToArray();
}

static void Extension(TlsWriter w, ExtensionType type, Action<TlsWriter> body)
{
    w.WriteUInt16((ushort)type);
    var data = w.BeginVector(2);
    body(w);
    w.EndVector(data);
}

void Run(string name, Action op)
{
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < seconds / 4) op();
    long ops = 0;
    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < 10; i++) op();
        ops += 10;
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    Console.WriteLine($"| {name} | {ops / elapsed:N0} | {cpu * 1e6 / ops:N0} | {allocated / 1024.0 / ops:N1} |");
}

internal sealed class Fixed(ServerCertificate certificate) : IServerCertificateSelector
{
    public ServerCertificate? Select(string? serverName) => certificate;
}
