using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using Hyper.Core.Application;
using Hyper.Core.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Hyper.AspNetCore;

// The response side: status and headers, the body, trailers, OnStarting/OnCompleted, and the end of the request.
internal sealed partial class AspNetCoreStream : IHttpResponseFeature, IHttpResponseBodyFeature, IHttpResponseTrailersFeature
{
    // Connection-specific fields have no meaning in HTTP/2 and make the peer fail the stream (RFC 9113 §8.2.2).
    private static readonly string[] ConnectionSpecificFields = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];
    private static readonly ConcurrentDictionary<string, byte[]> FieldNames = new(StringComparer.OrdinalIgnoreCase);

    private readonly ResponseBodyWriter _responseBody;
    private ResponseState _responseState;
    private int _statusCode = StatusCodes.Status200OK;
    private string? _reasonPhrase;
    private IHeaderDictionary _responseHeaders = new HeaderDictionary();
    private IHeaderDictionary? _responseTrailers;
    private Stream? _responseStream;
    private Stack<(Func<object, Task> Callback, object State)>? _onStarting;
    private Stack<(Func<object, Task> Callback, object State)>? _onCompleted;

    private enum ResponseState { NotStarted, Started, Ended }

    // ---- IHttpResponseFeature ----

    int IHttpResponseFeature.StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted();
            _statusCode = value;
        }
    }

    string? IHttpResponseFeature.ReasonPhrase
    {
        get => _reasonPhrase;
        set
        {
            ThrowIfStarted();
            _reasonPhrase = value;
        }
    }

    IHeaderDictionary IHttpResponseFeature.Headers { get => _responseHeaders; set => _responseHeaders = value; }

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    Stream IHttpResponseFeature.Body { get => ResponseStream; set => _responseStream = value; }

    bool IHttpResponseFeature.HasStarted => _responseState != ResponseState.NotStarted;

    void IHttpResponseFeature.OnStarting(Func<object, Task> callback, object state)
    {
        ThrowIfStarted();
        (_onStarting ??= new()).Push((callback, state));
    }

    void IHttpResponseFeature.OnCompleted(Func<object, Task> callback, object state) => (_onCompleted ??= new()).Push((callback, state));

    private void ThrowIfStarted()
    {
        if (_responseState != ResponseState.NotStarted) throw new InvalidOperationException("The response has already started.");
    }

    // ---- IHttpResponseBodyFeature ----

    private Stream ResponseStream => _responseStream ??= new ResponseBodyStream(_responseBody, this);

    Stream IHttpResponseBodyFeature.Stream => ResponseStream;
    PipeWriter IHttpResponseBodyFeature.Writer => _responseBody;

    // Nothing is held back between flushes: each flush hands its bytes to the connection.
    void IHttpResponseBodyFeature.DisableBuffering() { }

    async Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken)
    {
        if (_responseState != ResponseState.NotStarted) return;
        await _responseBody.FlushAsync(cancellationToken);
        if (_responseState == ResponseState.NotStarted) await WriteBodyAsync(ReadOnlyMemory<byte>.Empty, end: false, headOnly: true);
    }

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        _responseBody.SendFileAsync(path, offset, count, cancellationToken);

    async Task IHttpResponseBodyFeature.CompleteAsync() => await _responseBody.CompleteAsync();

    // ---- trailers (HTTP/2 only, as with Kestrel: gRPC checks for this feature) ----

    IHeaderDictionary IHttpResponseTrailersFeature.Trailers
    {
        get => _responseTrailers ??= new HeaderDictionary();
        set => _responseTrailers = value;
    }

    // ---- writing ----

    /// <summary>
    /// Sends <paramref name="data"/> as response body; the first call sends the head with it (after OnStarting).
    /// <paramref name="end"/> ends the response, with the trailers when there are any. A first write that is the whole
    /// body the application announced with Content-Length (or the whole body at the end) goes as one complete
    /// response: one write, framed with its length.
    /// </summary>
    internal async ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, bool end, bool headOnly = false)
    {
        if (_aborted) return;
        if (_responseState == ResponseState.Ended)
        {
            if (!data.IsEmpty) throw new InvalidOperationException("The response has already completed: no more body can be written.");
            return;
        }
        var trailers = end ? TrailerFields() : null;
        if (_responseState == ResponseState.NotStarted)
        {
            await FireOnStartingAsync();
            var headers = ResponseFields();
            // From here on, as on Kestrel, a change to the headers throws instead of being lost.
            if (_responseHeaders is HeaderDictionary dictionary) dictionary.IsReadOnly = true;
            var whole = end && trailers is null || !headOnly && trailers is null && _responseTrailers is not { Count: > 0 }
                && _responseHeaders.ContentLength is { } length && length == data.Length;
            if (whole)
            {
                _responseState = ResponseState.Ended;
                await SubmitAsync(StreamCommand.CompleteResponse(_statusCode, headers, data));
                return;
            }
            var endStream = end && trailers is null;
            _responseState = endStream ? ResponseState.Ended : ResponseState.Started;
            await SubmitAsync(StreamCommand.StartResponse(_statusCode, headers, !data.IsEmpty, data, endStream));
            if (end && trailers is not null)
            {
                _responseState = ResponseState.Ended;
                await SubmitAsync(StreamCommand.SendTrailers(trailers));
            }
            return;
        }
        if (end) _responseState = ResponseState.Ended;
        if (trailers is not null)
        {
            if (!data.IsEmpty) await SubmitAsync(StreamCommand.SendBody(data, endStream: false));
            await SubmitAsync(StreamCommand.SendTrailers(trailers));
            return;
        }
        if (data.IsEmpty && !end) return;
        await SubmitAsync(StreamCommand.SendBody(data, end));
    }

    private async ValueTask FireOnStartingAsync()
    {
        if (_onStarting is not { } callbacks) return;
        // Registered last, run first (as Kestrel does): a later component wraps an earlier one.
        while (callbacks.TryPop(out var entry)) await entry.Callback(entry.State);
    }

    private async ValueTask FireOnCompletedAsync()
    {
        if (_onCompleted is not { } callbacks) return;
        while (callbacks.TryPop(out var entry))
        {
            try
            {
                await entry.Callback(entry.State);
            }
            catch (Exception ex)
            {
                _factory.Logger.LogError(ex, "An OnCompleted callback of {Method} {Path} failed", _method, _path);
            }
        }
    }

    /// <summary>The response head's fields: names lower-cased (RFC 9113 §8.2.1), values as Latin-1 bytes.</summary>
    private List<HeaderField> ResponseFields()
    {
        var fields = new List<HeaderField>(_responseHeaders.Count + 1);
        var multiplexed = _connection.IsMultiplexed;
        foreach (var (name, values) in _responseHeaders)
        {
            if (multiplexed && IsConnectionSpecific(name)) continue;
            AddFields(fields, name, values);
        }
        return fields;
    }

    /// <summary>The trailer fields to send, or null when there are none (or the protocol cannot carry them).</summary>
    private List<HeaderField>? TrailerFields()
    {
        if (_responseTrailers is not { Count: > 0 } trailers || !_connection.IsMultiplexed) return null;
        var fields = new List<HeaderField>(trailers.Count);
        foreach (var (name, values) in trailers) AddFields(fields, name, values);
        return fields;
    }

    private static void AddFields(List<HeaderField> fields, string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        var nameBytes = FieldNames.GetOrAdd(name, static n => Encoding.ASCII.GetBytes(n.ToLowerInvariant()));
        foreach (var value in values)
        {
            if (value is null) continue;
            fields.Add(new HeaderField(nameBytes, Encoding.Latin1.GetBytes(value)));
        }
    }

    private static bool IsConnectionSpecific(string name)
    {
        foreach (var field in ConnectionSpecificFields)
        {
            if (string.Equals(field, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // ---- the end of the request ----

    /// <summary>
    /// After the application: a failure before the response started is answered 500 (nothing the application set is
    /// kept); after it started, the stream is aborted. Otherwise the buffered body and the end (or trailers) are sent.
    /// OnCompleted callbacks run last. Returns the failure to report to the host.
    /// </summary>
    internal async Task<Exception?> FinishAsync(Exception? failure)
    {
        // A request the server refuses while the application reads it (a body over the limit) is the client's error,
        // answered with its status as Kestrel does, and logged as such.
        var badRequest = failure as BadHttpRequestException;
        if (badRequest is not null)
            _factory.Logger.LogInformation("Bad request {Method} {Path}: {Status} {Reason}", _method, _path, badRequest.StatusCode, badRequest.Message);
        else if (failure is not null && !(_aborted && failure is OperationCanceledException or IOException))
            _factory.Logger.LogError(failure, "Unhandled exception in the ASP.NET Core application for {Method} {Path}", _method, _path);
        try
        {
            if (failure is not null)
            {
                if (_responseState == ResponseState.NotStarted)
                {
                    _responseHeaders.Clear();
                    _responseHeaders.ContentLength = 0;
                    _statusCode = badRequest?.StatusCode ?? StatusCodes.Status500InternalServerError;
                    _responseState = ResponseState.Ended;
                    await SubmitAsync(StreamCommand.CompleteResponse(_statusCode, ResponseFields(), ReadOnlyMemory<byte>.Empty));
                }
                else if (_responseState == ResponseState.Started)
                {
                    _responseState = ResponseState.Ended;
                    await SubmitAsync(StreamCommand.Abort());
                }
            }
            else
            {
                await _responseBody.CompleteAsync();
            }
        }
        catch (Exception ex)
        {
            // An OnStarting callback failed, or the application declared more than it wrote: the stream cannot end well.
            _factory.Logger.LogError(ex, "Could not complete the response to {Method} {Path}", _method, _path);
            failure ??= ex;
            if (!IsOver)
            {
                _responseState = ResponseState.Ended;
                await SubmitAsync(StreamCommand.Abort());
            }
        }
        await FireOnCompletedAsync();
        return failure;
    }
}
