namespace Hyper.Core.Http.Huffman;

/// <summary>
/// A finite automaton that decodes the RFC 7541 Appendix B code four bits at a time, built once from
/// <see cref="HuffmanCode"/> (the technique of nghttp2's generated <c>huff_decode_table</c>, built at start-up here
/// instead of generated).
/// </summary>
/// <remarks>
/// Theory of operation: a state is an internal node of the code tree (there are exactly 256, the root is 0).
/// Feeding a nibble walks four edges; when a walk reaches a leaf it emits that symbol and continues from the root.
/// The shortest code is 5 bits, so one nibble completes at most one symbol, and each transition is one table entry:
/// the next state, the symbol, and whether a symbol was emitted or EOS was met. At the end of the input the state
/// says what the leftover bits were: the root means none; otherwise they are padding and RFC 7541 §5.2 requires them
/// to be at most 7 bits, all ones (<see cref="GetEndReason"/>).
/// </remarks>
internal static class HuffmanDecodingTable
{
    public const int StateCount = 256;
    public const uint StateMask = 0xFF;
    public const int SymbolShift = 8;
    public const uint EmitFlag = 1u << 16;
    public const uint EndOfStringFlag = 1u << 17;

    private const int NoEndError = -1;

    /// <summary>Transitions indexed by <c>state * 16 + nibble</c>.</summary>
    public static readonly uint[] Transitions;

    // Per state: -1 when the input may end there, else the HuffmanDecodingReason it violates.
    private static readonly sbyte[] EndReasons;

    static HuffmanDecodingTable()
    {
        var tree = BuildTree(out var depth, out var allOnes);
        Transitions = BuildTransitions(tree);
        EndReasons = new sbyte[StateCount];
        for (var state = 0; state < StateCount; state++)
        {
            EndReasons[state] = (sbyte)(!allOnes[state] ? (int)HuffmanDecodingReason.PaddingNotOnes
                : depth[state] > 7 ? (int)HuffmanDecodingReason.PaddingTooLong
                : NoEndError);
        }
    }

    /// <summary>The error of ending the input in <paramref name="state"/>, or null when that is a valid end.</summary>
    public static HuffmanDecodingReason? GetEndReason(int state)
    {
        var reason = EndReasons[state];
        return reason == NoEndError ? null : (HuffmanDecodingReason)reason;
    }

    // Children of internal node n are tree[2n] (bit 0) and tree[2n+1] (bit 1): a value >= 0 is an internal node,
    // a negative value v is the leaf of symbol ~v.
    private static int[] BuildTree(out int[] depth, out bool[] allOnes)
    {
        const int unset = int.MinValue;
        var tree = new int[StateCount * 2];
        Array.Fill(tree, unset);
        depth = new int[StateCount];
        allOnes = new bool[StateCount];
        allOnes[0] = true;
        var nodeCount = 1;

        var codes = HuffmanCode.Table;
        for (var symbol = 0; symbol < HuffmanCode.SymbolCount; symbol++)
        {
            var (code, length) = codes[symbol];
            var node = 0;
            for (var i = length - 1; i > 0; i--)
            {
                var slot = node * 2 + (int)((code >> i) & 1);
                if (tree[slot] == unset)
                {
                    var child = nodeCount++;
                    tree[slot] = child;
                    depth[child] = depth[node] + 1;
                    allOnes[child] = allOnes[node] && ((code >> i) & 1) == 1;
                }

                node = tree[slot];
            }

            tree[node * 2 + (int)(code & 1)] = ~symbol;
        }

        if (nodeCount != StateCount || Array.IndexOf(tree, unset) >= 0)
        {
            throw new InvalidOperationException("The RFC 7541 Appendix B table is not a complete prefix code.");
        }

        return tree;
    }

    private static uint[] BuildTransitions(int[] tree)
    {
        var transitions = new uint[StateCount * 16];
        for (var state = 0; state < StateCount; state++)
        {
            for (var nibble = 0; nibble < 16; nibble++)
            {
                var node = state;
                uint flags = 0;
                uint symbol = 0;
                for (var bit = 3; bit >= 0; bit--)
                {
                    var next = tree[node * 2 + ((nibble >> bit) & 1)];
                    if (next >= 0)
                    {
                        node = next;
                        continue;
                    }

                    if (~next == HuffmanCode.EndOfString)
                    {
                        flags |= EndOfStringFlag;
                    }
                    else
                    {
                        flags |= EmitFlag;
                        symbol = (uint)~next;
                    }

                    node = 0;
                }

                transitions[state * 16 + nibble] = (uint)node | (symbol << SymbolShift) | flags;
            }
        }

        return transitions;
    }
}
