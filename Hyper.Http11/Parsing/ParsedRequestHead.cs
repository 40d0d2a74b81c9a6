using Hyper.Core.Application;

namespace Hyper.Http11.Parsing;

/// <summary>A syntactically valid head, before the framing and Host rules of <see cref="RequestHeadValidator"/> are applied.</summary>
internal readonly record struct ParsedRequestHead(RequestLine RequestLine, HeaderField[] Fields);
