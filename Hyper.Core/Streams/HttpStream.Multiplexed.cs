using Hyper.Core.Application;
using Hyper.Core.Protocols;

namespace Hyper.Core.Streams;

// The receive side of a request on a multiplexed connection (HTTP/2): the driver's reader runs on its own and
// hands body chunks over under the gate; receive() takes them under the gate too and waits on a signal between.
internal sealed partial class HttpStream
{
    private StreamSignal? _inputSignal;
    private StreamSignal? _writableSignal;

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AsgiMessage> ReceiveMultiplexedAsync()
    {
        while (true)
        {
            Task wait;
            await _driver.EnterAsync();
            try
            {
                if (_aborted || _state == HttpResponseState.Done) return HttpDisconnect.Instance;
                if (BufferedChunks > 0)
                {
                    var message = TakeBodyChunk();
                    // The bytes have left the stream's buffer: the peer may send that much more (RFC 9113 §6.9).
                    ((IMultiplexedStreamProtocol)_driver.Protocol).RequestBodyConsumed(Id, message.Body.Length, _driver.Writer);
                    await _driver.FlushLockedAsync();
                    return message;
                }
                if (_bodyEnded && !_bodyDelivered)
                {
                    _bodyDelivered = true;
                    return HttpRequest.Empty;
                }
                if (!_bodyWanted)
                {
                    _bodyWanted = true;
                    if (_head.ExpectsContinue)
                    {
                        _driver.Protocol.RequestBodyWanted(Id, _driver.Now, _driver.Writer);
                        _driver.DispatchEvents();
                        await _driver.FlushLockedAsync();
                    }
                }
                // After the whole body, the next event is http.disconnect: when the client leaves or the response is done.
                wait = (_inputSignal ??= new StreamSignal()).Prepare();
            }
            catch (ClientDisconnectedException)
            {
                return HttpDisconnect.Instance;
            }
            finally
            {
                _driver.Exit();
            }
            await wait;
        }
    }

    /// <summary>Under the gate, after a send: the task to await when the protocol holds too much of this stream's response.</summary>
    private Task? PrepareWaitForRoom()
    {
        if (_aborted) return null;
        if (((IMultiplexedStreamProtocol)_driver.Protocol).GetBufferedResponseBytes(Id) == 0) return null;
        return (_writableSignal ??= new StreamSignal()).Prepare();
    }

    /// <summary>Reader side (under the gate): news for this stream's waiting receive or send.</summary>
    private void Signal()
    {
        _inputSignal?.Set();
        _writableSignal?.Set();
    }

    public void OnWritable() => _writableSignal?.Set();
}
