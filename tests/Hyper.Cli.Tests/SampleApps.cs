using Hyper.Core.Application;

// Applications in every shape AppReference accepts (and some it must reject). Each one marks the scope it is
// called with, so a test can tell which member ran, even when it runs from a copy in another load context.
namespace Hyper.Cli.Tests.SampleApps;

internal static class Mark
{
    public static ValueTask Shape(AsgiScope scope, string shape)
    {
        scope.State["shape"] = shape;
        return ValueTask.CompletedTask;
    }
}

public static class StaticMethodApp
{
    public static ValueTask Serve(AsgiScope scope, AsgiReceive receive, AsgiSend send) => Mark.Shape(scope, "static-method");
}

public static class FieldApp
{
    public static AsgiApplication Handler = (scope, _, _) => Mark.Shape(scope, "field");
    public static AsgiApplication? Missing = null;
}

public static class PropertyApp
{
    public static AsgiApplication Handler { get; } = (scope, _, _) => Mark.Shape(scope, "property");
}

public static class FactoryApp
{
    public static AsgiApplication Create() => (scope, _, _) => Mark.Shape(scope, "factory");

    public static AsgiApplication Broken() => throw new InvalidOperationException("no database");
}

public static class DefaultMemberApp
{
    public static ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send) => Mark.Shape(scope, "default-member");
}

public sealed class InstanceApp
{
    private readonly string shape = "instance";

    public ValueTask InvokeAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send) => Mark.Shape(scope, shape);
}

public static class WrongSignatureApp
{
    public static ValueTask Serve(AsgiScope scope) => Mark.Shape(scope, "wrong");

    public static int Number = 1;
}

public sealed class NoParameterlessConstructorApp(string shape)
{
    public ValueTask InvokeAsync(AsgiScope scope, AsgiReceive receive, AsgiSend send) => Mark.Shape(scope, shape);
}

/// <summary>A complete application: answers lifespan and every HTTP request with "hello".</summary>
public static class HelloApp
{
    public static async ValueTask App(AsgiScope scope, AsgiReceive receive, AsgiSend send)
    {
        if (scope is LifespanScope)
        {
            while (true)
            {
                switch (await receive())
                {
                    case LifespanStartup:
                        await send(new LifespanStartupComplete());
                        break;
                    case LifespanShutdown:
                        await send(new LifespanShutdownComplete());
                        return;
                }
            }
        }
        await send(new HttpResponseStart(200, []));
        await send(new HttpResponseBody("hello"u8.ToArray()));
    }
}
