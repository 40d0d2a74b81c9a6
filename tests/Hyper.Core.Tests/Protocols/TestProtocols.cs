using System.Buffers;
using Hyper.Core.Protocols;

namespace Hyper.Core.Tests.Protocols;

/// <summary>A protocol factory that only has a name: registry and selection tests never open a connection with it.</summary>
internal class NamedFactory(string name) : IStreamProtocolFactory
{
    public string Alpn => name;

    public IStreamProtocol Create(ConnectionInfo connection) =>
        throw new InvalidOperationException($"{name}: selection tests do not create protocols");

    public override string ToString() => name;
}

/// <summary>A factory a connection can upgrade to; declines every request (the registry tests never switch).</summary>
internal sealed class NamedUpgradeTarget(string name) : NamedFactory(name), IUpgradeTargetFactory
{
    public IStreamProtocol? CreateUpgraded(ConnectionInfo connection, RequestHead request, long now, IBufferWriter<byte> output) => null;
}

/// <summary>Matches a fixed byte preface, as a real protocol's matcher does (the HTTP/2 one lives in Hyper.Http2).</summary>
internal sealed class FixedPreface(string preface) : IPrefaceMatcher
{
    private readonly byte[] _preface = System.Text.Encoding.ASCII.GetBytes(preface);

    public PrefaceMatch Match(in ReadOnlySequence<byte> firstBytes)
    {
        var length = (int)Math.Min(firstBytes.Length, _preface.Length);
        var head = firstBytes.Slice(0, length).ToArray();
        if (!head.AsSpan().SequenceEqual(_preface.AsSpan(0, length))) return PrefaceMatch.NoMatch;
        return length == _preface.Length ? PrefaceMatch.Match : PrefaceMatch.NeedMoreBytes;
    }
}

/// <summary>Registries for tests that build a <c>ServerContext</c> but never choose a protocol through it.</summary>
internal static class TestRegistry
{
    /// <summary>One default protocol and nothing to upgrade to: the driver's upgrade check finds no token.</summary>
    public static ProtocolRegistry Http11Only { get; } = new([new ProtocolRegistration(new NamedFactory("http/1.1")) { IsDefault = true }]);
}
