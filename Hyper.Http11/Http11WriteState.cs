namespace Hyper.Http11;

/// <summary>The response side of the request in flight.</summary>
internal enum Http11WriteState
{
    /// <summary>No final response has been started.</summary>
    NotStarted,
    /// <summary>The head is written; body bytes may follow.</summary>
    SendingBody,
    /// <summary>The response is complete.</summary>
    Complete,
}
