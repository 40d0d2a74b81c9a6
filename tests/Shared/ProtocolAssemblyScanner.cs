using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Hyper.Tests.Shared;

/// <summary>
/// docs/architecture.md, Layers: a protocol is sans-IO. Its assembly may not reference a clock, a thread, a lock, a task or a
/// socket; time comes in as <c>now</c> and work only through the driver. This scanner reads an assembly's type
/// and member references (metadata only, nothing is loaded) and lists the forbidden ones. Linked into every
/// protocol test project, so each assembly is held to the same list. Sans-IO code that lives inside Hyper.Core
/// (WebSocket framing, shared by every HTTP version) is held to it namespace by namespace:
/// <see cref="FindViolationsInNamespace"/> reads the signatures and method bodies of that namespace's types only.
/// </summary>
internal static class ProtocolAssemblyScanner
{
    private static readonly string[] ForbiddenTypes =
    [
        "System.Diagnostics.Stopwatch", "System.Threading.Timer", "System.Threading.Monitor", "System.Threading.Lock",
        "System.Threading.Thread", "System.Threading.ThreadPool", "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1", "System.TimeProvider",
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder", "System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder",
        "System.Runtime.CompilerServices.AsyncVoidMethodBuilder",
    ];

    private static readonly string[] ForbiddenMembers =
    [
        "System.Threading.Tasks.Task.Run", "System.DateTime.get_Now", "System.DateTime.get_UtcNow",
        "System.DateTimeOffset.get_Now", "System.DateTimeOffset.get_UtcNow", "System.Environment.get_TickCount",
        "System.Environment.get_TickCount64",
    ];

    /// <summary>The forbidden type and member names the assembly at <paramref name="assemblyPath"/> references.</summary>
    public static List<string> FindViolations(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var violations = new List<string>();

        foreach (var handle in reader.TypeReferences)
        {
            var name = IlMetadata.TypeReferenceName(reader, handle);
            if (ForbiddenTypes.Contains(name) || name.StartsWith("System.Net.Sockets.", StringComparison.Ordinal)) violations.Add(name);
        }

        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference) continue;
            var name = $"{IlMetadata.TypeReferenceName(reader, (TypeReferenceHandle)member.Parent)}.{reader.GetString(member.Name)}";
            if (ForbiddenMembers.Contains(name)) violations.Add(name);
        }
        return violations;
    }

    /// <summary>
    /// The forbidden type and member names referenced by the types of <paramref name="namespacePrefix"/> (and their
    /// nested types: lambdas' closures, iterators, async state machines) in the assembly: their base types,
    /// interfaces, fields, method signatures, locals and every token in their IL.
    /// </summary>
    public static List<string> FindViolationsInNamespace(string assemblyPath, string namespacePrefix)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var collector = new ReferenceCollector(reader);

        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            if (!InNamespace(reader, type, namespacePrefix)) continue;
            collector.AddTypeHandle(type.BaseType);
            foreach (var implementation in type.GetInterfaceImplementations())
                collector.AddTypeHandle(reader.GetInterfaceImplementation(implementation).Interface);
            foreach (var fieldHandle in type.GetFields())
                reader.GetFieldDefinition(fieldHandle).DecodeSignature(collector, null);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                method.DecodeSignature(collector, null);
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                    reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(collector, null);
                collector.AddIl(body.GetILBytes() ?? []);
            }
        }

        var violations = new List<string>();
        foreach (var name in collector.Types)
        {
            if (ForbiddenTypes.Contains(name) || name.StartsWith("System.Net.Sockets.", StringComparison.Ordinal)) violations.Add(name);
        }
        violations.AddRange(collector.Members.Where(ForbiddenMembers.Contains));
        return violations;
    }

    private static bool InNamespace(MetadataReader reader, TypeDefinition type, string namespacePrefix)
    {
        while (type.IsNested) type = reader.GetTypeDefinition(type.GetDeclaringType());
        var ns = reader.GetString(type.Namespace);
        return ns == namespacePrefix || ns.StartsWith(namespacePrefix + ".", StringComparison.Ordinal);
    }

    // Collects the names of every type and member referenced from signatures and IL (metadata only).
    private sealed class ReferenceCollector(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public HashSet<string> Types { get; } = [];
        public HashSet<string> Members { get; } = [];

        public void AddTypeHandle(EntityHandle handle)
        {
            if (handle.IsNil) return;
            switch (handle.Kind)
            {
                case HandleKind.TypeReference: Types.Add(IlMetadata.TypeReferenceName(reader, (TypeReferenceHandle)handle)); break;
                case HandleKind.TypeSpecification: reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null); break;
            }
        }

        public void AddIl(byte[] il) => IlMetadata.ForEachInstruction(il, (opCode, operand) =>
        {
            if (opCode.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
                AddToken(MetadataTokens.EntityHandle(BitConverter.ToInt32(il, operand)));
        });

        private void AddToken(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    AddTypeHandle(member.Parent);
                    if (member.Parent.Kind == HandleKind.TypeReference)
                        Members.Add($"{IlMetadata.TypeReferenceName(reader, (TypeReferenceHandle)member.Parent)}.{reader.GetString(member.Name)}");
                    else if (member.Parent.Kind == HandleKind.TypeSpecification)
                        Members.Add($"{GenericTypeName((TypeSpecificationHandle)member.Parent)}.{reader.GetString(member.Name)}");
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(this, null);
                    else member.DecodeFieldSignature(this, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddToken(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
                default: AddTypeHandle(handle); break;
            }
        }

        // The open generic's name of a generic instance (Task`1 for Task<int>), so a member on it matches the list.
        private string GenericTypeName(TypeSpecificationHandle handle)
        {
            var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return "";
            blob.ReadByte(); // class or value type
            var open = blob.ReadTypeHandle();
            return open.Kind == HandleKind.TypeReference ? IlMetadata.TypeReferenceName(reader, (TypeReferenceHandle)open) : "";
        }

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var name = IlMetadata.TypeReferenceName(metadata, handle);
            Types.Add(name);
            return name;
        }

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) =>
            metadata.GetString(metadata.GetTypeDefinition(handle).Name);

        public string GetTypeFromSpecification(MetadataReader metadata, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, context);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType;
        public string GetArrayType(string elementType, ArrayShape shape) => elementType;
        public string GetByReferenceType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
