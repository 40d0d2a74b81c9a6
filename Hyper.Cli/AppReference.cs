using System.Reflection;
using Hyper.Core.Application;

namespace Hyper.Cli;

/// <summary>
/// The APP argument, Hypercorn's <c>module:app</c> in .NET form: <c>path/to/App.dll:Namespace.Type[.Member]</c>.
/// The member may be a static method with the <see cref="AsgiApplication"/> signature, a static field or
/// property holding an <see cref="AsgiApplication"/>, or a static parameterless factory returning one. Without
/// a member, the type's static <c>App</c> is used, else an instance made with its public parameterless
/// constructor whose <c>ValueTask InvokeAsync(AsgiScope, AsgiReceive, AsgiSend)</c> is the application.
/// </summary>
internal sealed record AppReference(string AssemblyPath, string TypeAndMember)
{
    public const string ExpectedForm = "path/to/App.dll:Namespace.Type[.Member]";
    private const string DefaultMember = "App";

    private static readonly Type[] ApplicationParameters = [typeof(AsgiScope), typeof(AsgiReceive), typeof(AsgiSend)];

    public static AppReference Parse(string text)
    {
        // The last ':' separates, so a Windows drive letter (C:\apps\App.dll:T) stays in the path.
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new AppReferenceException($"'{text}' is not {ExpectedForm}");
        return new AppReference(text[..colon], text[(colon + 1)..]);
    }

    /// <summary>Loads the assembly in its own load context and returns the application it names.</summary>
    public AsgiApplication Resolve()
    {
        var fullPath = Path.GetFullPath(AssemblyPath);
        if (!File.Exists(fullPath)) throw new AppReferenceException($"'{AssemblyPath}': no such file");
        Assembly assembly;
        try
        {
            assembly = new AppLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
        }
        catch (BadImageFormatException)
        {
            throw new AppReferenceException($"'{AssemblyPath}' is not a .NET assembly");
        }
        return Resolve(assembly);
    }

    /// <summary>Finds the application in an already loaded assembly.</summary>
    public AsgiApplication Resolve(Assembly assembly)
    {
        // `A.B.C` is either type A.B.C or member C of type A.B: the whole name as a type wins.
        if (assembly.GetType(TypeAndMember) is { } wholeType)
            return FromType(wholeType);
        var dot = TypeAndMember.LastIndexOf('.');
        if (dot > 0 && assembly.GetType(TypeAndMember[..dot]) is { } type)
            return FromMember(type, TypeAndMember[(dot + 1)..])
                ?? throw new AppReferenceException(
                    $"type '{type.FullName}' has no public static member '{TypeAndMember[(dot + 1)..]}' that is an application " +
                    "(a method (AsgiScope, AsgiReceive, AsgiSend) -> ValueTask, a field or property of type AsgiApplication, " +
                    "or a parameterless method returning one)");
        throw new AppReferenceException($"'{AssemblyPath}' has no type '{TypeAndMember}'" +
            (dot > 0 ? $" (nor type '{TypeAndMember[..dot]}')" : ""));
    }

    private static AsgiApplication FromType(Type type) =>
        FromMember(type, DefaultMember)
        ?? FromInstance(type)
        ?? throw new AppReferenceException(
            $"type '{type.FullName}' has no public static '{DefaultMember}' application, and no public parameterless constructor " +
            "with a public method ValueTask InvokeAsync(AsgiScope, AsgiReceive, AsgiSend)");

    private static AsgiApplication? FromMember(Type type, string name)
    {
        const BindingFlags staticPublic = BindingFlags.Public | BindingFlags.Static;
        var method = type.GetMethod(name, staticPublic, ApplicationParameters);
        if (method is not null && method.ReturnType == typeof(ValueTask))
            return method.CreateDelegate<AsgiApplication>();

        if (type.GetField(name, staticPublic) is { } field && typeof(AsgiApplication).IsAssignableFrom(field.FieldType))
            return (AsgiApplication)Produced(type, name, () => field.GetValue(null));
        if (type.GetProperty(name, staticPublic) is { CanRead: true } property
            && property.GetIndexParameters().Length == 0
            && typeof(AsgiApplication).IsAssignableFrom(property.PropertyType))
            return (AsgiApplication)Produced(type, name, () => property.GetValue(null));

        var factory = type.GetMethod(name, staticPublic, Type.EmptyTypes);
        if (factory is not null && typeof(AsgiApplication).IsAssignableFrom(factory.ReturnType))
            return (AsgiApplication)Produced(type, name, () => factory.Invoke(null, null));
        return null;
    }

    private static AsgiApplication? FromInstance(Type type)
    {
        var invoke = type.GetMethod("InvokeAsync", BindingFlags.Public | BindingFlags.Instance, ApplicationParameters);
        if (invoke is null || invoke.ReturnType != typeof(ValueTask) || type.IsAbstract) return null;
        if (type.GetConstructor(Type.EmptyTypes) is not { } constructor) return null;
        var instance = Produced(type, ".ctor", () => constructor.Invoke(null), requireApplication: false);
        return invoke.CreateDelegate<AsgiApplication>(instance);
    }

    // Runs the app's own code (a static initializer, a factory, a constructor): its failure is the app's, so
    // report it as such rather than as a crash of the server.
    private static object Produced(Type type, string member, Func<object?> produce, bool requireApplication = true)
    {
        object? value;
        try
        {
            value = produce();
        }
        catch (Exception e) when (e is TargetInvocationException or TypeInitializationException)
        {
            var cause = e.InnerException ?? e;
            throw new AppReferenceException($"'{type.FullName}.{member}' threw {cause.GetType().Name}: {cause.Message}", cause);
        }
        if (value is null)
            throw new AppReferenceException($"'{type.FullName}.{member}' is null");
        if (requireApplication && value is not AsgiApplication)
            throw new AppReferenceException($"'{type.FullName}.{member}' is not an AsgiApplication");
        return value;
    }
}
