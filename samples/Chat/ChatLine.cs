using System.Text.Json.Serialization;

namespace Chat;

/// <summary>One line of the chat as the page receives it.</summary>
public sealed record ChatLine([property: JsonPropertyName("from")] string From, [property: JsonPropertyName("text")] string Text);

/// <summary>Source-generated serialisation: no reflection at run time.</summary>
[JsonSerializable(typeof(ChatLine))]
internal sealed partial class ChatJson : JsonSerializerContext;
