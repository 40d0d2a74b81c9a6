using Hyper.Core.Http;

namespace Hyper.Core.WebSockets;

/// <summary>One extension and its parameters from a Sec-WebSocket-Extensions header (RFC 6455 §9.1).</summary>
internal sealed record WebSocketExtensionOffer(string Name, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>
    /// Parses every Sec-WebSocket-Extensions value (header lines concatenated with commas, RFC 9110 §5.3).
    /// Returns null when the syntax is broken (RFC 6455 §9.1 grammar: tokens, and quoted strings as values).
    /// </summary>
    public static List<WebSocketExtensionOffer>? ParseAll(IEnumerable<string> headerValues)
    {
        var offers = new List<WebSocketExtensionOffer>();
        foreach (var headerValue in headerValues)
        {
            var reader = new Cursor(headerValue);
            while (true)
            {
                reader.SkipSpaces();
                if (reader.AtEnd) break;
                if (reader.Peek == ',') { reader.Advance(); continue; } // empty list elements are allowed (RFC 9110 §5.6.1)
                var name = reader.Token();
                if (name is null) return null;
                var parameters = new List<KeyValuePair<string, string?>>();
                reader.SkipSpaces();
                while (!reader.AtEnd && reader.Peek == ';')
                {
                    reader.Advance();
                    reader.SkipSpaces();
                    var key = reader.Token();
                    if (key is null) return null;
                    reader.SkipSpaces();
                    string? value = null;
                    if (!reader.AtEnd && reader.Peek == '=')
                    {
                        reader.Advance();
                        reader.SkipSpaces();
                        value = !reader.AtEnd && reader.Peek == '"' ? reader.QuotedString() : reader.Token();
                        if (value is null) return null;
                        reader.SkipSpaces();
                    }
                    parameters.Add(new(key.ToLowerInvariant(), value));
                }
                offers.Add(new WebSocketExtensionOffer(name.ToLowerInvariant(), parameters));
                reader.SkipSpaces();
                if (reader.AtEnd) break;
                if (reader.Peek != ',') return null;
                reader.Advance();
            }
        }
        return offers;
    }

    private ref struct Cursor(string text)
    {
        private int _position;

        public readonly bool AtEnd => _position >= text.Length;
        public readonly char Peek => text[_position];
        public void Advance() => _position++;

        public void SkipSpaces()
        {
            while (!AtEnd && Peek is ' ' or '\t') _position++;
        }

        public string? Token()
        {
            var start = _position;
            while (!AtEnd && Peek < 0x80 && FieldSyntax.IsTokenChar((byte)Peek)) _position++;
            return _position == start ? null : text[start.._position];
        }

        // RFC 6455 §9.1: a quoted value must itself be a token once unquoted.
        public string? QuotedString()
        {
            _position++;
            var start = _position;
            while (!AtEnd && Peek != '"')
            {
                if (Peek >= 0x80 || !FieldSyntax.IsTokenChar((byte)Peek)) return null;
                _position++;
            }
            if (AtEnd || _position == start) return null;
            var value = text[start.._position];
            _position++;
            return value;
        }
    }
}
