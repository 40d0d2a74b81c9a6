using Hyper.Core.Application;
using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

// The ASGI response extensions beyond trailers: early hints (RFC 8297) and server push (RFC 9113 §8.4).
internal sealed partial class HttpStream
{
    private static readonly byte[] LinkName = "link"u8.ToArray();
    private static readonly byte[] HostName = "host"u8.ToArray();

    /// <summary>True when this request may push (a client that allows it, on a stream it opened).</summary>
    internal bool PushAllowed => _connection.CanPush(Id);

    /// <summary><c>103 Early Hints</c> with one Link field per link.</summary>
    private static StreamCommand EarlyHint(HttpResponseEarlyHint hint)
    {
        var links = new HeaderField[hint.Links.Count];
        for (var i = 0; i < links.Length; i++) links[i] = new HeaderField(LinkName, hint.Links[i]);
        return StreamCommand.Informational(103, links);
    }

    /// <summary>The GET to promise for the path; null where push is not possible (ASGI allows ignoring it).</summary>
    private RequestHead? PushRequest(HttpResponsePush push)
    {
        if (!PushAllowed) return null;
        if (!push.Path.StartsWith('/')) throw new ArgumentException("a pushed path must start with '/'", nameof(push));
        var bytes = System.Text.Encoding.UTF8.GetBytes(push.Path);
        var query = Array.IndexOf(bytes, (byte)'?');
        return new RequestHead
        {
            Method = "GET",
            RawPath = query < 0 ? bytes : bytes.AsMemory(0, query),
            QueryString = query < 0 ? ReadOnlyMemory<byte>.Empty : bytes.AsMemory(query + 1),
            HttpVersion = _head.HttpVersion,
            // Applications read the host field; HTTP/2 carries it as :authority, as for any request (RFC 9113 §8.3.1).
            Headers = push.Headers.Any(h => h.NameIs("host"u8)) ? push.Headers : [new HeaderField(HostName, _head.Authority), .. push.Headers],
            Authority = _head.Authority,
        };
    }
}
