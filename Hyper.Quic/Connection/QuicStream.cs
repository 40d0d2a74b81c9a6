using Hyper.Quic.Tls;

namespace Hyper.Quic.Connection;

/// <summary>
/// One stream's state on a server connection (RFC 9000 §2, §3): the receiving half (reassembly, final size, the credit
/// granted with MAX_STREAM_DATA) and the sending half (unacknowledged bytes, the peer's credit, reset). A stream id's
/// two low bits give its initiator and direction (§2.1).
/// </summary>
internal sealed class QuicStream
{
    public QuicStream(ulong id, int receiveWindow, long sendLimit)
    {
        Id = id;
        ReceiveWindow = receiveWindow;
        ReceiveLimit = CanReceive ? receiveWindow : 0;
        SendLimit = sendLimit;
        if (CanReceive) Receive = new CryptoStreamReassembler(Math.Max(1, receiveWindow));
        if (CanSend) Send = new SendBuffer();
    }

    public ulong Id { get; }

    public bool IsClientInitiated => (Id & 0x1) == 0;

    public bool IsBidirectional => (Id & 0x2) == 0;

    /// <summary>A server can receive on bidirectional streams and on the client's unidirectional ones.</summary>
    public bool CanReceive => IsBidirectional || IsClientInitiated;

    public bool CanSend => IsBidirectional || !IsClientInitiated;

    // Receiving half.
    public CryptoStreamReassembler? Receive { get; }

    public int ReceiveWindow { get; }

    /// <summary>The largest offset the peer may send up to, as last advertised.</summary>
    public long ReceiveLimit { get; set; }

    public long HighestReceived { get; set; }

    public long? FinalSize { get; set; }

    public bool FinDelivered { get; set; }

    public bool ResetReceived { get; set; }

    public bool MaxStreamDataPending { get; set; }

    public bool StopSendingPending { get; set; }

    public ulong StopSendingErrorCode { get; set; }

    public bool ReceiveDone => !CanReceive || FinDelivered || ResetReceived;

    // Sending half.
    public SendBuffer? Send { get; }

    /// <summary>The peer's MAX_STREAM_DATA for this stream.</summary>
    public long SendLimit { get; set; }

    public bool ResetPending { get; set; }

    public bool ResetSent { get; set; }

    public bool ResetAcknowledged { get; set; }

    public ulong ResetErrorCode { get; set; }

    public bool SendDone => !CanSend || ResetAcknowledged || Send!.IsFullyAcknowledged;

    public bool HasDataToSend =>
        Send is { } send && !ResetSent && !ResetPending &&
        ((!send.Pending.IsEmpty && send.Pending[0].Start < SendLimit) || (send.FinPending && send.Pending.IsEmpty));
}
