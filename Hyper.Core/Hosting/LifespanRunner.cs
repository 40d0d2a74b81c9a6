using Hyper.Core.Application;
using Microsoft.Extensions.Logging;

namespace Hyper.Core.Hosting;

/// <summary>
/// Runs the application's lifespan scope (ASGI Lifespan 2.0): <c>lifespan.startup</c> before the first
/// connection is accepted, <c>lifespan.shutdown</c> after the last one has drained. An application that does
/// not support lifespan (raises before answering startup) is tolerated with a log line, as in Hypercorn, unless the
/// <c>lifespan</c> option is <c>on</c>; with <c>off</c> the application never sees a lifespan scope (Uvicorn's modes).
/// </summary>
internal sealed class LifespanRunner
{
    private readonly AsgiApplication _app;
    private readonly ILogger _logger;
    private readonly LifespanScope _scope;
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<AsgiMessage> _startupAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<AsgiMessage> _shutdownAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _running;
    private int _received;
    private readonly LifespanMode _mode;
    private bool _unsupported;
    private string? _unsupportedReason;

    public LifespanRunner(AsgiApplication app, ILogger logger, IDictionary<string, object?> state, LifespanMode mode = LifespanMode.Auto)
    {
        _app = app;
        _mode = mode;
        _logger = logger;
        _scope = new LifespanScope { State = state };
    }

    /// <summary>
    /// Starts the application's lifespan and waits for its startup answer. Throws
    /// <see cref="LifespanFailureException"/> on <c>lifespan.startup.failed</c> or a timeout.
    /// </summary>
    public async Task StartupAsync(TimeSpan timeout, TimeProvider time)
    {
        if (_mode == LifespanMode.Off) return;
        _running = RunAppAsync();
        AsgiMessage answer;
        try
        {
            answer = await _startupAnswer.Task.WaitAsync(timeout, time);
        }
        catch (TimeoutException)
        {
            throw new LifespanFailureException($"lifespan startup did not complete within {timeout.TotalSeconds:0.###} s");
        }
        switch (answer)
        {
            case LifespanStartupFailed failed:
                throw new LifespanFailureException($"lifespan startup failed: {failed.Message}");
            case LifespanStartupComplete:
                return;
            default:
                if (_mode == LifespanMode.On)
                    throw new LifespanFailureException(
                        $"lifespan is 'on' but the application does not support it ({_unsupportedReason ?? "it returned without answering lifespan.startup"})");
                _unsupported = true;
                return;
        }
    }

    /// <summary>Sends <c>lifespan.shutdown</c> and waits for the answer (bounded by <paramref name="timeout"/>).</summary>
    public async Task ShutdownAsync(TimeSpan timeout, TimeProvider time)
    {
        if (_unsupported || _running is null) return;
        _shutdownRequested.TrySetResult();
        try
        {
            var answer = await _shutdownAnswer.Task.WaitAsync(timeout, time);
            if (answer is LifespanShutdownFailed failed)
                throw new LifespanFailureException($"lifespan shutdown failed: {failed.Message}");
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Lifespan shutdown did not complete within {Timeout} s", timeout.TotalSeconds);
        }
    }

    private async Task RunAppAsync()
    {
        // Yield so the application body never runs on the caller's stack.
        await Task.Yield();
        try
        {
            await _app(_scope, ReceiveAsync, SendAsync);
            // Returning is allowed; an app that returns without answering startup does not do lifespan.
            _startupAnswer.TrySetResult(LifespanShutdownComplete.Instance);
            _shutdownAnswer.TrySetResult(LifespanShutdownComplete.Instance);
        }
        catch (Exception ex)
        {
            if (!_startupAnswer.Task.IsCompleted)
            {
                _unsupportedReason = ex.Message;
                if (_mode == LifespanMode.Auto)
                    _logger.LogWarning("ASGI application lifespan error, continuing without lifespan support: {Error}", ex.Message);
                _startupAnswer.TrySetResult(LifespanShutdownComplete.Instance);
            }
            else
            {
                _logger.LogError(ex, "ASGI application lifespan error during shutdown");
            }
            _shutdownAnswer.TrySetResult(LifespanShutdownComplete.Instance);
        }
    }

    private async ValueTask<AsgiMessage> ReceiveAsync()
    {
        if (Interlocked.Increment(ref _received) == 1) return LifespanStartup.Instance;
        await _shutdownRequested.Task;
        return LifespanShutdown.Instance;
    }

    private ValueTask SendAsync(AsgiMessage message)
    {
        switch (message)
        {
            case LifespanStartupComplete or LifespanStartupFailed:
                if (!_startupAnswer.TrySetResult(message)) throw new UnexpectedMessageException("startup answered", message.Type);
                break;
            case LifespanShutdownComplete or LifespanShutdownFailed:
                if (!_shutdownRequested.Task.IsCompleted || !_shutdownAnswer.TrySetResult(message))
                    throw new UnexpectedMessageException("shutdown not requested", message.Type);
                break;
            default:
                throw new UnexpectedMessageException("lifespan", message.Type);
        }
        return ValueTask.CompletedTask;
    }
}
