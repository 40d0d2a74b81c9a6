using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Hyper.Tests.Shared;

/// <summary>
/// What the IL scanners share (<see cref="ProtocolAssemblyScanner"/>, <see cref="CallbackSiteScanner"/>): type names
/// as the runtime spells them, and a walk over a method body's instructions. Metadata only; nothing is loaded.
/// </summary>
internal static class IlMetadata
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>"Namespace.Type" (nested: "Namespace.Outer+Inner") of a referenced type.</summary>
    public static string TypeReferenceName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return $"{TypeReferenceName(reader, (TypeReferenceHandle)type.ResolutionScope)}+{name}";
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    /// <summary>"Namespace.Type" (nested: "Namespace.Outer+Inner") of a type defined in the assembly.</summary>
    public static string TypeDefinitionName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil) return $"{TypeDefinitionName(reader, declaring)}+{name}";
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    /// <summary>Calls <paramref name="visit"/> with each instruction and the offset of its operand, in order.</summary>
    public static void ForEachInstruction(byte[] il, Action<OpCode, int> visit)
    {
        var position = 0;
        while (position < il.Length)
        {
            var value = (short)il[position++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[position++]));
            var opCode = OpCodesByValue[value];
            var operand = position;
            position += opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
                _ => 4, // tokens, branch targets, int32, float32, strings, call-site signatures
            };
            visit(opCode, operand);
        }
    }
}
