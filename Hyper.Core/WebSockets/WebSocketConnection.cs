using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Hyper.Core.Configuration;
using Hyper.Core.Protocols;

namespace Hyper.Core.WebSockets;

/// <summary>
/// A sans-IO WebSocket (RFC 6455, with RFC 7692 permessage-deflate when negotiated): received bytes become
/// <see cref="WebSocketEvent"/>s, commands become frames. Synchronous, no clock: time comes in as <c>now</c>
/// (<see cref="MonotonicTime"/> ticks), the owner calls <see cref="OnTimer"/> at <see cref="NextDeadline"/>.
/// <para>
/// Frames this side must send on its own — the Pong to a Ping, the reply to a Close, the Close that fails the
/// connection, the server's keep-alive Ping — are queued and written by <see cref="WritePendingOutput"/>, which the
/// owner calls when the transport can take bytes. At most one Pong is pending: a newer Ping replaces it (RFC 6455
/// §5.5.3), so a peer that floods Pings without reading costs no memory.
/// </para>
/// </summary>
internal sealed class WebSocketConnection : IDisposable
{
    private const int MaxControlPayload = 125;

    private readonly WebSocketRole _role;
    private readonly WebSocketLimits _limits;
    private readonly bool _streamFragments;
    private readonly Func<uint> _maskKeys;
    private readonly WebSocketFrameReader _reader;
    private readonly PerMessageInflater? _inflater;
    private readonly PerMessageDeflater? _deflater;
    private readonly Queue<WebSocketEvent> _events = new();
    private readonly byte[] _control = new byte[MaxControlPayload];
    private readonly byte[] _scratch = new byte[16 * 1024];
    private readonly WebSocketMessageBuffer _message = new();
    private int _controlLength;

    // Output this side owes the peer (see the class comment).
    private byte[]? _pendingPong;
    private byte[]? _pendingPing;
    private byte[]? _pendingClose;

    // Keep-alive: the next ping, and the payload and deadline of the one in flight.
    private long _nextPingAt = long.MaxValue;
    private long _pongDeadline = long.MaxValue;
    private byte[]? _outstandingPing;
    private long _pingCount;
    private long _closeDeadline = long.MaxValue;

    private bool _sendingFragmented;

    /// <param name="role">Server (the usual case) or client (tests and tools): decides masking (RFC 6455 §5.1).</param>
    /// <param name="limits">Message size, timers; validated.</param>
    /// <param name="compression">The negotiated permessage-deflate parameters, or null without compression.</param>
    /// <param name="now">The current time, to schedule the first keep-alive ping.</param>
    /// <param name="streamFragments">Give each data frame as a <see cref="WebSocketFragmentReceived"/> instead of whole messages.</param>
    /// <param name="maskKeys">Client role: the masking-key source; defaults to a cryptographic RNG (RFC 6455 §5.3).</param>
    public WebSocketConnection(WebSocketRole role, WebSocketLimits limits, PerMessageDeflateParameters? compression, long now,
        bool streamFragments = false, Func<uint>? maskKeys = null)
    {
        limits.Validate();
        _role = role;
        _limits = limits;
        _streamFragments = streamFragments;
        _maskKeys = maskKeys ?? RandomMaskKey;
        _reader = new WebSocketFrameReader(role, limits.MaxMessageSize, limits.MaxEmptyFragments) { AllowRsv1 = compression is not null };
        if (compression is not null)
        {
            // Each side inflates with the window the other side compresses with.
            var server = role == WebSocketRole.Server;
            _inflater = new PerMessageInflater(
                server ? compression.ClientMaxWindowBits : compression.ServerMaxWindowBits,
                server ? compression.ClientNoContextTakeover : compression.ServerNoContextTakeover,
                limits.MaxMessageSize);
            _deflater = new PerMessageDeflater(
                server ? compression.ServerMaxWindowBits : compression.ClientMaxWindowBits,
                server ? compression.ServerNoContextTakeover : compression.ClientNoContextTakeover);
        }
        if (limits.PingInterval is { } interval) _nextPingAt = MonotonicTime.After(now, interval);
    }

    public WebSocketConnectionState State { get; private set; } = WebSocketConnectionState.Open;

    /// <summary>Frames are queued for <see cref="WritePendingOutput"/>.</summary>
    public bool HasPendingOutput => _pendingPong is not null || _pendingPing is not null || _pendingClose is not null;

    /// <summary>When <see cref="OnTimer"/> wants to be called, or <see cref="long.MaxValue"/>.</summary>
    public long NextDeadline => State switch
    {
        WebSocketConnectionState.Open => Math.Min(_pongDeadline, _outstandingPing is null ? _nextPingAt : long.MaxValue),
        WebSocketConnectionState.CloseSent => _closeDeadline,
        _ => long.MaxValue,
    };

    /// <summary>
    /// Feeds received bytes. Everything is consumed (partial frames are kept inside), so the returned position is
    /// the end of <paramref name="data"/>. Events are queued; take them with <see cref="TryDequeueEvent"/>.
    /// </summary>
    public SequencePosition Receive(in ReadOnlySequence<byte> data, long now)
    {
        foreach (var segment in data)
        {
            if (State == WebSocketConnectionState.Closed) break;
            try
            {
                ReceiveSpan(segment.Span);
            }
            catch (WebSocketProtocolException error)
            {
                Fail(error.CloseStatus, error.Message);
            }
        }
        return data.End;
    }

    /// <summary>The peer closed the transport: without a Close frame this is an abnormal closure (1006).</summary>
    public void ReceiveCompleted(long now)
    {
        if (State == WebSocketConnectionState.Closed) return;
        State = WebSocketConnectionState.Closed;
        _pendingPong = _pendingPing = null;
        _events.Enqueue(new WebSocketClosed(WebSocketCloseStatus.AbnormalClosure, "The peer closed the connection without a Close frame."));
    }

    /// <summary>Takes the next queued event.</summary>
    public bool TryDequeueEvent(out WebSocketEvent? webSocketEvent) => _events.TryDequeue(out webSocketEvent);

    /// <summary>Writes the queued control frames: the keep-alive Ping, the latest Pong, then a Close.</summary>
    public void WritePendingOutput(IBufferWriter<byte> output)
    {
        if (_pendingPing is not null) WriteFrame(output, WebSocketOpcode.Ping, true, false, _pendingPing);
        if (_pendingPong is not null) WriteFrame(output, WebSocketOpcode.Pong, true, false, _pendingPong);
        if (_pendingClose is not null) WriteFrame(output, WebSocketOpcode.Close, true, false, _pendingClose);
        _pendingPing = _pendingPong = _pendingClose = null;
    }

    /// <summary>Sends a whole text message; <paramref name="utf8"/> must be UTF-8 (the caller encoded it).</summary>
    public void SendText(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output) => SendMessage(WebSocketOpcode.Text, utf8, output);

    /// <summary>Sends a whole binary message.</summary>
    public void SendBinary(ReadOnlySpan<byte> data, IBufferWriter<byte> output) => SendMessage(WebSocketOpcode.Binary, data, output);

    /// <summary>
    /// Sends one fragment of a message (RFC 6455 §5.4): the first fragment gives the type, later ones are
    /// continuations; <paramref name="endOfMessage"/> sends the final one. No other message may start meanwhile.
    /// </summary>
    public void SendFragment(bool isText, ReadOnlySpan<byte> data, bool endOfMessage, IBufferWriter<byte> output)
    {
        EnsureCanSend();
        var first = !_sendingFragmented;
        var opcode = first ? (isText ? WebSocketOpcode.Text : WebSocketOpcode.Binary) : WebSocketOpcode.Continuation;
        var payload = _deflater is null ? data : _deflater.Compress(data, endOfMessage);
        // RFC 7692 §6.1: RSV1 marks a compressed message on its first frame only.
        WriteFrame(output, opcode, endOfMessage, first && _deflater is not null, payload);
        _sendingFragmented = !endOfMessage;
    }

    /// <summary>Sends a Ping (at most 125 bytes).</summary>
    public void SendPing(ReadOnlySpan<byte> payload, IBufferWriter<byte> output) => SendControl(WebSocketOpcode.Ping, payload, output);

    /// <summary>Sends an unsolicited Pong (a one-way heartbeat, RFC 6455 §5.5.3).</summary>
    public void SendPong(ReadOnlySpan<byte> payload, IBufferWriter<byte> output) => SendControl(WebSocketOpcode.Pong, payload, output);

    /// <summary>
    /// Starts the close handshake (RFC 6455 §5.5.1): sends Close with <paramref name="code"/> and
    /// <paramref name="reason"/> and waits for the peer's Close until the close timeout. Nothing may be sent after.
    /// </summary>
    public void Close(int code, string reason, long now, IBufferWriter<byte> output)
    {
        EnsureCanSend();
        // RFC 6455 §7.4: only codes meant for the wire; 1005, 1006 and 1015 are local-only.
        if (!WebSocketCloseStatus.IsValidOnWire(code)) throw new ArgumentOutOfRangeException(nameof(code), code, "Not a close code that may be sent (RFC 6455 §7.4).");
        var payload = ClosePayload(code, reason);
        WritePendingOutput(output);
        WriteFrame(output, WebSocketOpcode.Close, true, false, payload);
        State = WebSocketConnectionState.CloseSent;
        _closeDeadline = MonotonicTime.After(now, _limits.CloseTimeout);
    }

    /// <summary>The deadline from <see cref="NextDeadline"/> has passed.</summary>
    public void OnTimer(long now)
    {
        if (State == WebSocketConnectionState.CloseSent && now >= _closeDeadline)
        {
            // RFC 6455 §7.1.1: the peer did not answer our Close in time; drop the connection.
            State = WebSocketConnectionState.Closed;
            _events.Enqueue(new WebSocketClosed(WebSocketCloseStatus.AbnormalClosure, "The peer did not answer the Close frame in time."));
            return;
        }
        if (State != WebSocketConnectionState.Open) return;
        if (now >= _pongDeadline)
        {
            // The peer did not answer a ping: it is gone, so there is no close handshake to wait for.
            _pendingPong = _pendingPing = null;
            _pendingClose = ClosePayload(WebSocketCloseStatus.InternalError, "ping timeout");
            State = WebSocketConnectionState.Closed;
            _events.Enqueue(new WebSocketClosed(WebSocketCloseStatus.AbnormalClosure, "The peer did not answer a ping in time."));
            return;
        }
        if (_outstandingPing is null && now >= _nextPingAt && _limits.PingInterval is { } interval)
        {
            var payload = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(payload, ++_pingCount);
            _pendingPing = _outstandingPing = payload;
            _pongDeadline = MonotonicTime.After(now, _limits.PongTimeout);
            _nextPingAt = MonotonicTime.After(now, interval);
        }
    }

    public void Dispose()
    {
        _message.Clear(); // a message cut short by the end of the connection gives its pooled segments back
        _inflater?.Dispose();
        _deflater?.Dispose();
    }

    private void ReceiveSpan(ReadOnlySpan<byte> input)
    {
        var offset = 0;
        while (offset < input.Length && State != WebSocketConnectionState.Closed)
        {
            if (!_reader.InPayload)
            {
                if (!_reader.TryReadHeader(input[offset..], out var consumed))
                {
                    offset += consumed;
                    break;
                }
                offset += consumed;
                var header = _reader.Header;
                if (header.IsControl) _controlLength = 0;
                else if (header.Opcode != WebSocketOpcode.Continuation) _message.StartMessage(header.Opcode == WebSocketOpcode.Text);
                if (_reader.PayloadRemaining == 0) CompleteFrame();
                continue;
            }
            offset += ReadPayload(input[offset..]);
            if (!_reader.InPayload) CompleteFrame();
        }
    }

    // Moves payload bytes to where the frame needs them; returns the input bytes consumed.
    private int ReadPayload(ReadOnlySpan<byte> input)
    {
        var header = _reader.Header;
        if (header.IsControl)
        {
            var n = _reader.ReadPayload(input, _control.AsSpan(_controlLength));
            _controlLength += n;
            return n;
        }
        if (State != WebSocketConnectionState.Open)
        {
            // After our Close the peer's data is read only to find its Close frame (RFC 6455 §5.5.1).
            return _reader.ReadPayload(input, _scratch);
        }
        if (_inflater is not null && _reader.MessageCompressed)
        {
            var n = _reader.ReadPayload(input, _scratch);
            _inflater.Inflate(_scratch.AsSpan(0, n), _message);
            return n;
        }
        // The message buffer validates text as each chunk lands in it (RFC 6455 §8.1, fail fast).
        var read = _reader.ReadPayload(input, _message.GetSpan());
        _message.Advance(read);
        return read;
    }

    private void CompleteFrame()
    {
        var header = _reader.Header;
        switch (header.Opcode)
        {
            case WebSocketOpcode.Close: ReceiveClose(_control.AsSpan(0, _controlLength)); return;
            case WebSocketOpcode.Ping:
                if (State != WebSocketConnectionState.Open) return;
                _pendingPong = _control.AsSpan(0, _controlLength).ToArray();
                _events.Enqueue(new WebSocketPingReceived(_pendingPong));
                return;
            case WebSocketOpcode.Pong:
                var pong = _control.AsSpan(0, _controlLength).ToArray();
                if (_outstandingPing is not null && pong.AsSpan().SequenceEqual(_outstandingPing))
                {
                    _outstandingPing = null;
                    _pongDeadline = long.MaxValue;
                }
                if (State == WebSocketConnectionState.Open) _events.Enqueue(new WebSocketPongReceived(pong));
                return;
        }

        if (State != WebSocketConnectionState.Open) return;
        var isText = _reader.MessageOpcode == WebSocketOpcode.Text;
        if (header.Fin)
        {
            if (_inflater is not null && _reader.MessageCompressed) _inflater.EndMessage(_message);
            // RFC 6455 §8.1: a text message may not end inside a character.
            if (isText && !_message.IsCompleteText)
                throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData, "Text message ends inside a UTF-8 sequence.");
        }
        if (_streamFragments)
        {
            _events.Enqueue(new WebSocketFragmentReceived(isText, _message.ToArray(), header.Fin));
            _message.Clear();
        }
        else if (header.Fin)
        {
            _events.Enqueue(new WebSocketMessageReceived(isText, _message.ToArray()));
            _message.Clear();
        }
    }

    private void ReceiveClose(ReadOnlySpan<byte> payload)
    {
        int code;
        var reason = "";
        if (payload.Length == 0)
        {
            code = WebSocketCloseStatus.NoStatusReceived;
        }
        else
        {
            // RFC 6455 §5.5.1: a body starts with a 2-byte code, so one byte is malformed.
            if (payload.Length == 1) throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Close frame with a 1-byte payload.");
            code = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (!WebSocketCloseStatus.IsValidOnWire(code))
                throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, $"Close code {code} may not be sent (RFC 6455 §7.4).");
            var reasonBytes = payload[2..];
            var validator = default(Utf8Validator);
            // RFC 6455 §5.5.1: the reason is UTF-8.
            if (!validator.Feed(reasonBytes) || !validator.IsComplete)
                throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData, "Close reason is not valid UTF-8.");
            reason = Encoding.UTF8.GetString(reasonBytes);
        }

        _events.Enqueue(new WebSocketCloseReceived(code, reason));
        if (State == WebSocketConnectionState.Open)
        {
            // RFC 6455 §5.5.1: answer a Close with a Close, echoing the code (none when none was given).
            _pendingPing = null;
            _pendingClose = code == WebSocketCloseStatus.NoStatusReceived ? [] : ClosePayload(code, "");
        }
        State = WebSocketConnectionState.Closed;
        _events.Enqueue(new WebSocketClosed(code, reason));
    }

    // RFC 6455 §7.1.7: fail the connection: send Close with the code (unless one was sent already) and stop.
    private void Fail(int code, string reason)
    {
        if (State == WebSocketConnectionState.Open)
        {
            _pendingPong = _pendingPing = null;
            _pendingClose = ClosePayload(code, "");
        }
        State = WebSocketConnectionState.Closed;
        _events.Enqueue(new WebSocketClosed(code, reason));
    }

    private void SendMessage(WebSocketOpcode opcode, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        EnsureCanSend();
        if (_sendingFragmented) throw new InvalidOperationException("A fragmented message is being sent; finish it first.");
        if (_deflater is not null) WriteFrame(output, opcode, true, true, _deflater.Compress(data, endOfMessage: true));
        else WriteFrame(output, opcode, true, false, data);
    }

    private void SendControl(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        EnsureCanSend();
        if (payload.Length > MaxControlPayload) throw new ArgumentException("A control frame carries at most 125 bytes (RFC 6455 §5.5).", nameof(payload));
        WriteFrame(output, opcode, true, false, payload);
    }

    private void EnsureCanSend()
    {
        if (State != WebSocketConnectionState.Open)
            throw new WebSocketClosedException("The WebSocket is closing or closed; nothing more may be sent (RFC 6455 §5.5.1).");
    }

    private void WriteFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, bool fin, bool rsv1, ReadOnlySpan<byte> payload) =>
        WebSocketFrameWriter.Write(output, opcode, fin, rsv1, payload, _role == WebSocketRole.Client ? _maskKeys() : null);

    private static byte[] ClosePayload(int code, string reason)
    {
        var reasonLength = Encoding.UTF8.GetByteCount(reason);
        // RFC 6455 §5.5: 125 bytes in all, 2 of them the code.
        if (reasonLength > MaxControlPayload - 2) throw new ArgumentException("A close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5).", nameof(reason));
        var payload = new byte[2 + reasonLength];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return payload;
    }

    private static uint RandomMaskKey()
    {
        Span<byte> key = stackalloc byte[4];
        RandomNumberGenerator.Fill(key);
        return BinaryPrimitives.ReadUInt32LittleEndian(key);
    }
}
