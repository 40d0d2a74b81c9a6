using System.IO.Pipelines;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Hyper.AspNetCore;

// The request side: IHttpRequestFeature and the request body, trailers and size features.
internal sealed partial class AspNetCoreStream :
    IHttpRequestFeature, IRequestBodyPipeFeature, IHttpRequestBodyDetectionFeature, IHttpMaxRequestBodySizeFeature,
    IHttpRequestTrailersFeature, IHttpBodyControlFeature
{
    private static readonly byte[] EncodedSlash = "%2F"u8.ToArray();

    private readonly RequestBodyReader _requestBody;
    private string _protocol = "";
    private string _scheme = "";
    private string _method = "";
    private string _pathBase = "";
    private string _path = "";
    private string _queryString = "";
    private string _rawTarget = "";
    private IHeaderDictionary _requestHeaders = null!;
    private Stream? _requestBodyStream;
    private HeaderDictionary? _requestTrailers;
    private volatile bool _requestTrailersAvailable;

    private void InitializeRequest()
    {
        _protocol = _head.HttpVersion switch
        {
            "1.1" => HttpProtocol.Http11,
            "2" => HttpProtocol.Http2,
            "1.0" => HttpProtocol.Http10,
            "3" => HttpProtocol.Http3,
            var other => "HTTP/" + other,
        };
        _scheme = _connection.Info.Scheme;
        _method = HttpMethods.GetCanonicalizedValue(_head.Method);
        var path = DecodePath(_head.RawPath.Span);
        var rootPath = _connection.Server.Options.RootPath;
        // root_path is the prefix the application is mounted under (docs/aspnetcore.md): it becomes PathBase.
        if (rootPath.Length > 0 && path.StartsWith(rootPath, StringComparison.Ordinal)
            && (path.Length == rootPath.Length || path[rootPath.Length] == '/'))
        {
            _pathBase = rootPath;
            path = path[rootPath.Length..];
        }
        _path = path;
        var query = _head.QueryString.Span;
        _queryString = query.IsEmpty ? "" : "?" + Encoding.Latin1.GetString(query);
        _rawTarget = Encoding.Latin1.GetString(_head.RawPath.Span) + _queryString;
        _requestHeaders = ReadHeaders(_head.Headers, _head.Authority);
    }

    /// <summary>
    /// The path percent-decoded except for <c>%2F</c>, which stays encoded as Kestrel leaves it: a decoded slash would
    /// split a segment the client meant as one (routing sees segments).
    /// </summary>
    private static string DecodePath(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOf((byte)'%') < 0) return Encoding.ASCII.GetString(raw);
        var builder = new StringBuilder(raw.Length);
        while (true)
        {
            var slash = IndexOfEncodedSlash(raw);
            if (slash < 0)
            {
                builder.Append(PathDecoder.Decode(raw));
                return builder.ToString();
            }
            builder.Append(PathDecoder.Decode(raw[..slash])).Append("%2F");
            raw = raw[(slash + EncodedSlash.Length)..];
        }
    }

    private static int IndexOfEncodedSlash(ReadOnlySpan<byte> raw)
    {
        for (var i = raw.IndexOf((byte)'%'); i >= 0 && i + 2 < raw.Length; )
        {
            if (raw[i + 1] == (byte)'2' && (raw[i + 2] | 0x20) == (byte)'f') return i;
            var next = raw[(i + 1)..].IndexOf((byte)'%');
            if (next < 0) return -1;
            i += next + 1;
        }
        return -1;
    }

    /// <summary>
    /// The request's header fields as ASP.NET Core reads them. HTTP/2 carries the host in <c>:authority</c>, so a
    /// <c>Host</c> is made from it when none came (RFC 9113 §8.3.1); split <c>cookie</c> fields are joined again
    /// (RFC 9113 §8.2.3).
    /// </summary>
    private static HeaderDictionary ReadHeaders(IReadOnlyList<HeaderField> fields, ReadOnlyMemory<byte> authority)
    {
        var headers = new HeaderDictionary(fields.Count + 1);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = Encoding.Latin1.GetString(fields[i].Name.Span);
            var value = Encoding.Latin1.GetString(fields[i].Value.Span);
            if (headers.TryGetValue(name, out var existing))
            {
                headers[name] = name.Equals(Microsoft.Net.Http.Headers.HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase)
                    ? new StringValues(existing + "; " + value)
                    : StringValues.Concat(existing, value);
            }
            else
            {
                headers[name] = value;
            }
        }
        if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Host) && !authority.IsEmpty)
            headers[Microsoft.Net.Http.Headers.HeaderNames.Host] = Encoding.Latin1.GetString(authority.Span);
        return headers;
    }

    private void SetRequestTrailers(IReadOnlyList<HeaderField> trailers) => _requestTrailers = ReadHeaders(trailers, default);

    // ---- IHttpRequestFeature ----

    string IHttpRequestFeature.Protocol { get => _protocol; set => _protocol = value; }
    string IHttpRequestFeature.Scheme { get => _scheme; set => _scheme = value; }
    string IHttpRequestFeature.Method { get => _method; set => _method = value; }
    string IHttpRequestFeature.PathBase { get => _pathBase; set => _pathBase = value; }
    string IHttpRequestFeature.Path { get => _path; set => _path = value; }
    string IHttpRequestFeature.QueryString { get => _queryString; set => _queryString = value; }
    string IHttpRequestFeature.RawTarget { get => _rawTarget; set => _rawTarget = value; }
    IHeaderDictionary IHttpRequestFeature.Headers { get => _requestHeaders; set => _requestHeaders = value; }

    Stream IHttpRequestFeature.Body
    {
        get => _requestBodyStream ??= new RequestBodyStream(_requestBody, this);
        set => _requestBodyStream = value;
    }

    // ---- body ----

    PipeReader IRequestBodyPipeFeature.Reader => _requestBody;

    // RFC 9110 §6.4.1 / RFC 9112 §6.3: a request has a body when it is framed with a length or chunked.
    bool IHttpRequestBodyDetectionFeature.CanHaveBody => _head.HasBody;

    // A tunnel (an upgraded request, an extended CONNECT) has no body limit to change, as on Kestrel.
    bool IHttpMaxRequestBodySizeFeature.IsReadOnly => _requestBody.HasStarted || IsTunnel;

    long? IHttpMaxRequestBodySizeFeature.MaxRequestBodySize
    {
        get => _requestBody.MaxSize;
        set
        {
            if (_requestBody.HasStarted) throw new InvalidOperationException("The maximum request body size cannot be changed after the request body has started to be read.");
            if (IsTunnel) throw new InvalidOperationException("The maximum request body size cannot be changed for an upgraded or extended CONNECT request.");
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), "The maximum request body size must not be negative.");
            _requestBody.MaxSize = value;
        }
    }

    /// <summary>Synchronous reads and writes are refused unless the application allows them (as Kestrel does): they block a thread, or on the single-thread loop the loop.</summary>
    public bool AllowSynchronousIO { get; set; }

    // ---- trailers ----

    bool IHttpRequestTrailersFeature.Available => _requestTrailersAvailable;

    IHeaderDictionary IHttpRequestTrailersFeature.Trailers =>
        _requestTrailersAvailable
            ? _requestTrailers ??= new HeaderDictionary()
            : throw new InvalidOperationException("The request trailers are not available yet: they come after the whole body has been read.");
}
