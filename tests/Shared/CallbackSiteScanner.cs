using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Hyper.Tests.Shared;

/// <summary>
/// Issue #9: an exception that escapes a callback the runtime invokes (a timer, a cancellation registration, a
/// signal or event handler, an <c>async void</c> method) ends the process, and a forgotten task's failure is lost.
/// Product code therefore hands every such callback to <c>Hyper.Core.Concurrency.CallbackGuard</c>. This scanner
/// reads an assembly's IL (metadata only, nothing is loaded or run) and lists every place that does it another way:
/// <list type="bullet">
/// <item>a call to one of the runtime's callback APIs (<see cref="GuardedApis"/>) outside CallbackGuard;</item>
/// <item>a call whose <c>Task</c>/<c>ValueTask</c> result is dropped on the spot (<c>_ = RunAsync()</c>);</item>
/// <item>an event subscription (<c>add_X</c> on a runtime type) whose handler was not just made by CallbackGuard;</item>
/// <item>an <c>async void</c> method.</item>
/// </list>
/// </summary>
internal static class CallbackSiteScanner
{
    public const string GuardType = "Hyper.Core.Concurrency.CallbackGuard";

    /// <summary>Runtime APIs that run a callback later on a thread nobody awaits ("Type::Member").</summary>
    public static readonly string[] GuardedApis =
    [
        "System.TimeProvider::CreateTimer",
        "System.Threading.Timer::.ctor",
        "System.Threading.Tasks.Task::ContinueWith",
        "System.Threading.Tasks.Task`1::ContinueWith",
        "System.Threading.CancellationToken::Register",
        "System.Threading.CancellationToken::UnsafeRegister",
        "System.Threading.ThreadPool::QueueUserWorkItem",
        "System.Threading.ThreadPool::UnsafeQueueUserWorkItem",
        "System.Threading.ThreadPool::RegisterWaitForSingleObject",
        "System.Runtime.InteropServices.PosixSignalRegistration::Create",
    ];

    private static readonly string[] TaskTypes =
        ["System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1"];

    /// <summary>Every unguarded callback site in the assembly, as "Type.Method: what".</summary>
    public static List<string> FindViolations(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new NameProvider(reader);
        var violations = new List<string>();

        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var typeName = IlMetadata.TypeDefinitionName(reader, typeHandle);
            var insideGuard = typeName == GuardType || typeName.StartsWith(GuardType + "+", StringComparison.Ordinal);
            foreach (var methodHandle in reader.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                var where = $"{typeName}.{reader.GetString(method.Name)}";
                if (IsAsyncVoid(reader, method, names)) violations.Add($"{where}: async void method");
                if (insideGuard || method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                ScanBody(reader, names, body.GetILBytes() ?? [], where, violations);
            }
        }
        return violations;
    }

    private static void ScanBody(MetadataReader reader, NameProvider names, byte[] il, string where, List<string> violations)
    {
        int? previousCall = null;
        IlMetadata.ForEachInstruction(il, (opCode, operand) =>
        {
            if (opCode == OpCodes.Pop && previousCall is { } dropped && ReturnsTask(reader, names, dropped))
                violations.Add($"{where}: result of {Describe(reader, names, dropped)} dropped (use CallbackGuard.Forget)");

            int? call = null;
            if (opCode == OpCodes.Call || opCode == OpCodes.Callvirt || opCode == OpCodes.Newobj)
            {
                var token = BitConverter.ToInt32(il, operand);
                call = token;
                var callee = Describe(reader, names, token);
                if (GuardedApis.Contains(callee)) violations.Add($"{where}: calls {callee} (use CallbackGuard)");
                if (IsRuntimeEventSubscription(reader, token, callee)
                    && !(previousCall is { } made && Describe(reader, names, made).StartsWith(GuardType + "::", StringComparison.Ordinal)))
                {
                    violations.Add($"{where}: subscribes {callee} with a handler CallbackGuard did not make");
                }
            }
            previousCall = call;
        });
    }

    /// <summary>"Namespace.Type::Member" of a call's target (method definition, member reference or generic instance).</summary>
    private static string Describe(MetadataReader reader, NameProvider names, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        return handle.Kind switch
        {
            HandleKind.MethodDefinition => DescribeDefinition(reader, (MethodDefinitionHandle)handle),
            HandleKind.MemberReference => DescribeReference(reader, names, (MemberReferenceHandle)handle),
            HandleKind.MethodSpecification => Describe(reader, names, MetadataTokens.GetToken(reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method)),
            _ => "?",
        };
    }

    private static string DescribeDefinition(MetadataReader reader, MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        return $"{IlMetadata.TypeDefinitionName(reader, method.GetDeclaringType())}::{reader.GetString(method.Name)}";
    }

    private static string DescribeReference(MetadataReader reader, NameProvider names, MemberReferenceHandle handle)
    {
        var member = reader.GetMemberReference(handle);
        var parent = member.Parent.Kind switch
        {
            HandleKind.TypeReference => IlMetadata.TypeReferenceName(reader, (TypeReferenceHandle)member.Parent),
            HandleKind.TypeDefinition => IlMetadata.TypeDefinitionName(reader, (TypeDefinitionHandle)member.Parent),
            HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(names, null),
            _ => "?",
        };
        var generic = parent.IndexOf('<', StringComparison.Ordinal);
        if (generic >= 0) parent = parent[..generic];
        return $"{parent}::{reader.GetString(member.Name)}";
    }

    private static bool ReturnsTask(MetadataReader reader, NameProvider names, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind == HandleKind.MethodSpecification) handle = reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method;
        MethodSignature<string> signature;
        if (handle.Kind == HandleKind.MethodDefinition) signature = reader.GetMethodDefinition((MethodDefinitionHandle)handle).DecodeSignature(names, null);
        else if (handle.Kind == HandleKind.MemberReference) signature = reader.GetMemberReference((MemberReferenceHandle)handle).DecodeMethodSignature(names, null);
        else return false;
        var returnType = signature.ReturnType;
        var generic = returnType.IndexOf('<', StringComparison.Ordinal);
        return TaskTypes.Contains(generic >= 0 ? returnType[..generic] : returnType);
    }

    private static bool IsRuntimeEventSubscription(MetadataReader reader, int token, string callee)
    {
        if (!callee.Contains("::add_", StringComparison.Ordinal)) return false;
        var handle = MetadataTokens.EntityHandle(token);
        // An event of one of our own types is ours to keep safe; a runtime event raises on threads we do not own.
        return handle.Kind == HandleKind.MemberReference && !callee.StartsWith("Hyper.", StringComparison.Ordinal);
    }

    private static bool IsAsyncVoid(MetadataReader reader, MethodDefinition method, NameProvider names)
    {
        var isAsync = method.GetCustomAttributes().Any(a => AttributeTypeName(reader, reader.GetCustomAttribute(a)) == "System.Runtime.CompilerServices.AsyncStateMachineAttribute");
        return isAsync && method.DecodeSignature(names, null).ReturnType == "System.Void";
    }

    private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute) => attribute.Constructor.Kind switch
    {
        HandleKind.MemberReference when reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
            => IlMetadata.TypeReferenceName(reader, (TypeReferenceHandle)parent),
        HandleKind.MethodDefinition => IlMetadata.TypeDefinitionName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType()),
        _ => "?",
    };

    /// <summary>Type names for signatures: enough to tell a Task from anything else.</summary>
    private sealed class NameProvider(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode == PrimitiveTypeCode.Void ? "System.Void" : typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => IlMetadata.TypeDefinitionName(reader, handle);
        public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => IlMetadata.TypeReferenceName(reader, handle);
        public string GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericMethodParameter(object? context, int index) => $"!!{index}";
        public string GetGenericTypeParameter(object? context, int index) => $"!{index}";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
