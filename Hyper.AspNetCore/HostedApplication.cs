using Microsoft.AspNetCore.Hosting.Server;

namespace Hyper.AspNetCore;

/// <summary>
/// The ASP.NET Core application without its context type, so the request stream need not be generic: it hands its
/// feature collection over and gets the application's failure back. <see cref="HostedApplication{TContext}"/> is the one
/// implementation.
/// </summary>
internal abstract class HostedApplication
{
    /// <summary>Runs one request: creates the context, runs the application, lets the stream finish the response, disposes the context.</summary>
    public abstract Task RunAsync(AspNetCoreStream stream);
}

/// <summary>The <see cref="IHttpApplication{TContext}"/> the host handed to <c>IServer.StartAsync</c>.</summary>
internal sealed class HostedApplication<TContext>(IHttpApplication<TContext> application) : HostedApplication where TContext : notnull
{
    public override async Task RunAsync(AspNetCoreStream stream)
    {
        var context = application.CreateContext(stream);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        // As Kestrel does: the response is finished (OnStarting, a 500 or an abort, the body's end, OnCompleted) before
        // the context goes, so what the application registered still sees a live HttpContext.
        failure = await stream.FinishAsync(failure);
        application.DisposeContext(context, failure);
    }
}

