using Hyper.Core.Application;
using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

// The ASGI response extensions beyond trailers: early hints (RFC 8297) and server push (RFC 9113 §8.4).
internal sealed partial class HttpStream
{
    private static readonly byte[] LinkName = "link"u8.ToArray();
    private static readonly byte[] HostName = "host"u8.ToArray();

    /// <summary>True when this request may push (an HTTP/2 client that allows it).</summary>
    internal bool PushAllowed => _driver.Protocol is IMultiplexedStreamProtocol { PushAllowed: true } && Id % 2 == 1;

    /// <summary>Under the gate: <c>103 Early Hints</c> with one Link field per link.</summary>
    private void SendEarlyHint(HttpResponseEarlyHint hint)
    {
        var links = new HeaderField[hint.Links.Count];
        for (var i = 0; i < links.Length; i++) links[i] = new HeaderField(LinkName, hint.Links[i]);
        _driver.Protocol.SendInformational(Id, 103, links, _driver.Writer);
    }

    /// <summary>Under the gate: promises a GET for the path; ignored where push is not possible (ASGI allows that).</summary>
    private void SendPush(HttpResponsePush push)
    {
        if (_driver.Protocol is not IMultiplexedStreamProtocol { PushAllowed: true } protocol) return;
        if (!push.Path.StartsWith('/')) throw new ArgumentException("a pushed path must start with '/'", nameof(push));
        var bytes = System.Text.Encoding.UTF8.GetBytes(push.Path);
        var query = Array.IndexOf(bytes, (byte)'?');
        var request = new RequestHead
        {
            Method = "GET",
            RawPath = query < 0 ? bytes : bytes.AsMemory(0, query),
            QueryString = query < 0 ? ReadOnlyMemory<byte>.Empty : bytes.AsMemory(query + 1),
            HttpVersion = _head.HttpVersion,
            // Applications read the host field; HTTP/2 carries it as :authority, as for any request (RFC 9113 §8.3.1).
            Headers = push.Headers.Any(h => h.NameIs("host"u8)) ? push.Headers : [new HeaderField(HostName, _head.Authority), .. push.Headers],
            Authority = _head.Authority,
        };
        protocol.Push(Id, request, _driver.Now, _driver.Writer);
    }
}
