namespace Hyper.Core.Application;

/// <summary>Raised by <c>send</c> when the application sends a message the ASGI state machine does not allow now.</summary>
public sealed class UnexpectedMessageException : InvalidOperationException
{
    public UnexpectedMessageException(string state, string messageType)
        : base($"Unexpected ASGI message '{messageType}' in state {state}.")
    {
        State = state;
        MessageType = messageType;
    }

    public string State { get; }
    public string MessageType { get; }
}
