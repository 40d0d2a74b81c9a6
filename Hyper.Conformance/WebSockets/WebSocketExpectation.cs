namespace Hyper.Conformance.WebSockets;

/// <summary>How a case must end.</summary>
public abstract record WebSocketExpectation
{
    /// <summary>
    /// The server fails the connection (RFC 6455 §7.1.7): its next frame is a Close with exactly this code, and then
    /// it closes the connection. No message may come first.
    /// </summary>
    public sealed record Fails(int Code) : WebSocketExpectation;

    /// <summary>
    /// The client has closed in the steps; the server's next frame is its Close reply with this code (1005: an empty
    /// Close), then the end of the connection (§5.5.1, §7.1.1: the server closes the TCP connection first).
    /// </summary>
    /// <param name="MessagesMayPrecede">
    /// Data frames may come before the reply: an echo the application had already started, or did not, since a
    /// server should answer a Close "as soon as practical" but may first finish a message (§5.5.1).
    /// </param>
    public sealed record Replies(int Code, bool MessagesMayPrecede = false) : WebSocketExpectation;

    /// <summary>
    /// The connection is still healthy after the steps: the runner sends Close 1000 and the server must answer with
    /// Close 1000 and end the connection.
    /// </summary>
    public sealed record StaysOpen : WebSocketExpectation;

    public static readonly WebSocketExpectation Open = new StaysOpen();

    public override string ToString() => this switch
    {
        Fails f => $"Close {f.Code} from the server, then the end of the connection",
        Replies r => $"the Close reply {r.Code}, then the end of the connection",
        _ => "the connection still open (a Close 1000 answered with 1000)",
    };
}
