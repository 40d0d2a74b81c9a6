using Hyper.Core.Application;
using Hyper.Core.Http;
using Hyper.Http11.Parsing;

namespace Hyper.Http11.Writing;

/// <summary>
/// What the application's response fields say about framing and persistence, after checking they can be
/// written safely. An invalid field is an application error (<see cref="ArgumentException"/>): a name that is
/// not a token, or a value with CR, LF or NUL, would let the application split the response (RFC 9110 §5.5).
/// </summary>
internal readonly record struct ResponseFields(long? ContentLength, bool Chunked, bool ConnectionClose, bool HasConnection)
{
    public static ResponseFields Inspect(IReadOnlyList<HeaderField> fields)
    {
        long? contentLength = null;
        bool chunked = false, close = false, hasConnection = false;
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Name.Span;
            var value = fields[i].Value.Span;
            if (!FieldSyntax.IsToken(name)) throw new ArgumentException($"response field name '{fields[i].NameString}' is not a token", nameof(fields));
            if (FieldSyntax.ContainsLineBreakOrNul(value)) throw new ArgumentException($"response field '{fields[i].NameString}' has CR, LF or NUL in its value", nameof(fields));

            if (fields[i].NameIs("content-length"u8))
            {
                if (contentLength is not null) throw new ArgumentException("more than one content-length response field", nameof(fields));
                try
                {
                    contentLength = RequestHeadValidator.ParseContentLength(FieldSyntax.TrimWhitespace(value));
                }
                catch (Http11ProtocolException)
                {
                    throw new ArgumentException($"content-length '{fields[i].ValueString}' is not a length", nameof(fields));
                }
            }
            else if (fields[i].NameIs("transfer-encoding"u8))
            {
                // The connection owns the framing; the only coding it can produce is chunked.
                if (!System.Text.Ascii.EqualsIgnoreCase(FieldSyntax.TrimWhitespace(value), "chunked"u8))
                    throw new ArgumentException("the only response transfer-encoding supported is chunked", nameof(fields));
                chunked = true;
            }
            else if (fields[i].NameIs("connection"u8))
            {
                hasConnection = true;
                foreach (var range in value.Split((byte)','))
                {
                    close |= System.Text.Ascii.EqualsIgnoreCase(FieldSyntax.TrimWhitespace(value[range]), "close"u8);
                }
            }
        }
        if (chunked && contentLength is not null) throw new ArgumentException("both content-length and transfer-encoding", nameof(fields));
        return new ResponseFields(contentLength, chunked, close, hasConnection);
    }
}
