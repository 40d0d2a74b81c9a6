namespace Hyper.Conformance.Http2.Spec;

public static partial class H2SpecCases
{
    /// <summary>The h2spec cases whose outcome depended on whether the response beat the client's next frame.</summary>
    private static readonly string[] RacedWithEarlyResponse = ["http2/5.1/8", "http2/6.9.1/3", "http2/8.1.2.1/3", "http2/8.1.2.6/1"];

    private static readonly Lazy<IReadOnlyList<H2SpecCase>> AfterCompleteResponseCases = new(() =>
        [.. RacedWithEarlyResponse.Select(id => AfterCompleteResponse(Named(id)))]);

    /// <summary>
    /// Cases for a server whose application answers without reading the request body (not in <see cref="All"/>: a
    /// server that waits for the body never completes the response they wait for). Each is an h2spec case that opens
    /// stream 1 without END_STREAM and then makes an error on it; here the client waits for the complete response
    /// before it goes on, so the stream is certainly half-closed (local) (RFC 9113 §5.1) when the error arrives, and the
    /// error must still get the RST_STREAM or GOAWAY h2spec expects. Run by h2spec itself, the same cases only sometimes
    /// meet that state, depending on timing.
    /// </summary>
    public static IReadOnlyList<H2SpecCase> AfterCompleteResponse() => AfterCompleteResponseCases.Value;

    private static H2SpecCase AfterCompleteResponse(H2SpecCase original) => original with
    {
        Id = $"half-closed-local/{original.Id}",
        Section = $"RFC 9113 §5.1 half-closed (local); {original.Section}",
        Description = $"{original.Description}, after the complete response",
        Steps = [original.Steps[0], AwaitStreamEnd(1), .. original.Steps.Skip(1)],
    };
}
