using System.Runtime.Loader;
using Hyper.Cli.Tests.SampleApps;
using Hyper.Core.Application;

namespace Hyper.Cli.Tests;

public class AppReferenceTests
{
    private const string Namespace = "Hyper.Cli.Tests.SampleApps";
    private static readonly string ThisAssemblyPath = typeof(AppReferenceTests).Assembly.Location;

    private static async Task<string?> ShapeOf(AsgiApplication app)
    {
        var scope = new LifespanScope();
        await app(scope, () => ValueTask.FromResult<AsgiMessage>(new LifespanStartup()), _ => ValueTask.CompletedTask);
        return scope.State.TryGetValue("shape", out var shape) ? shape as string : null;
    }

    private static AsgiApplication ResolveHere(string typeAndMember) =>
        new AppReference(ThisAssemblyPath, typeAndMember).Resolve(typeof(AppReferenceTests).Assembly);

    [Theory]
    [InlineData("StaticMethodApp.Serve", "static-method")]
    [InlineData("FieldApp.Handler", "field")]
    [InlineData("PropertyApp.Handler", "property")]
    [InlineData("FactoryApp.Create", "factory")]
    [InlineData("DefaultMemberApp", "default-member")]
    [InlineData("DefaultMemberApp.App", "default-member")]
    [InlineData("InstanceApp", "instance")]
    public async Task Resolve_SupportedShape_GivesThatApplication(string typeAndMember, string shape)
    {
        (await ShapeOf(ResolveHere($"{Namespace}.{typeAndMember}"))).Should().Be(shape);
    }

    [Fact]
    public void Parse_PathAndType_SplitsAtLastColon()
    {
        AppReference.Parse(@"C:\apps\App.dll:My.App").Should().Be(new AppReference(@"C:\apps\App.dll", "My.App"));
    }

    [Theory]
    [InlineData("App.dll")]
    [InlineData("App.dll:")]
    [InlineData(":My.App")]
    public void Parse_MalformedReference_NamesExpectedForm(string text)
    {
        var act = () => AppReference.Parse(text);
        act.Should().Throw<AppReferenceException>().WithMessage($"'{text}' is not path/to/App.dll:Namespace.Type[.Member]");
    }

    [Fact]
    public void Resolve_MissingFile_NamesFile()
    {
        var act = () => new AppReference("/nonexistent/App.dll", "X").Resolve();
        act.Should().Throw<AppReferenceException>().WithMessage("'/nonexistent/App.dll': no such file");
    }

    [Fact]
    public void Resolve_NotAnAssembly_SaysSo()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("App.dll", "not a PE file");
        var act = () => new AppReference(file, "X").Resolve();
        act.Should().Throw<AppReferenceException>().WithMessage("*is not a .NET assembly");
    }

    [Fact]
    public void Resolve_MissingType_NamesType()
    {
        var act = () => ResolveHere($"{Namespace}.Nope");
        act.Should().Throw<AppReferenceException>().WithMessage($"*has no type '{Namespace}.Nope'*");
    }

    [Theory]
    [InlineData("StaticMethodApp.Missing")]
    [InlineData("WrongSignatureApp.Serve")]
    [InlineData("WrongSignatureApp.Number")]
    public void Resolve_MemberNotAnApplication_NamesTypeAndMember(string typeAndMember)
    {
        var member = typeAndMember[(typeAndMember.IndexOf('.') + 1)..];
        var act = () => ResolveHere($"{Namespace}.{typeAndMember}");
        act.Should().Throw<AppReferenceException>().WithMessage($"type '{Namespace}.*' has no public static member '{member}'*");
    }

    [Theory]
    [InlineData("WrongSignatureApp")]
    [InlineData("NoParameterlessConstructorApp")]
    public void Resolve_TypeWithoutAppOrInvokeAsync_ExplainsBoth(string type)
    {
        var act = () => ResolveHere($"{Namespace}.{type}");
        act.Should().Throw<AppReferenceException>().WithMessage("*no public static 'App'*InvokeAsync*");
    }

    [Fact]
    public void Resolve_NullField_SaysNull()
    {
        var act = () => ResolveHere($"{Namespace}.FieldApp.Missing");
        act.Should().Throw<AppReferenceException>().WithMessage("*FieldApp.Missing' is null");
    }

    [Fact]
    public void Resolve_ThrowingFactory_ReportsTheAppsException()
    {
        var act = () => ResolveHere($"{Namespace}.FactoryApp.Broken");
        act.Should().Throw<AppReferenceException>()
            .WithMessage("*FactoryApp.Broken' threw InvalidOperationException: no database")
            .WithInnerException<InvalidOperationException>();
    }

    [Fact]
    public async Task Resolve_FromFile_LoadsInOwnContextSharingHyperCore()
    {
        var app = AppReference.Parse($"{ThisAssemblyPath}:{Namespace}.StaticMethodApp.Serve").Resolve();

        var appAssembly = app.Method.DeclaringType!.Assembly;
        appAssembly.Should().NotBeSameAs(typeof(StaticMethodApp).Assembly);
        var context = AssemblyLoadContext.GetLoadContext(appAssembly);
        context.Should().BeOfType<AppLoadContext>();
        context!.Assemblies.Select(a => a.GetName().Name).Should().NotContain("Hyper.Core",
            "the app must bind to the server's Hyper.Core, or its AsgiApplication would be another type");
        (await ShapeOf(app)).Should().Be("static-method");
    }
}
