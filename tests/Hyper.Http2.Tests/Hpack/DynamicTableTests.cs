using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

public sealed class DynamicTableTests
{
    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    private static List<string> Contents(DynamicTable table)
    {
        var list = new List<string>();
        for (var i = 0; i < table.Count; i++) list.Add($"{Encoding.ASCII.GetString(table[i].Name)}: {Encoding.ASCII.GetString(table[i].Value)}");
        return list;
    }

    [Fact]
    [Trait("rfc", "7541-4.1")]
    public void Insert_CountsNamePlusValuePlus32_NewestFirst()
    {
        var table = new DynamicTable(4096);

        table.Insert(B("custom-key"), B("custom-header"));
        table.Insert(B("a"), B("b"));

        table.Size.Should().Be(10 + 13 + 32 + 1 + 1 + 32);
        Contents(table).Should().Equal("a: b", "custom-key: custom-header");
    }

    [Fact]
    [Trait("rfc", "7541-4.4")]
    public void Insert_WhenFull_EvictsOldestFirst()
    {
        var table = new DynamicTable(3 * 34); // room for three 34-octet entries

        foreach (var name in new[] { "a", "b", "c", "d", "e" }) table.Insert(B(name), B("1"));

        Contents(table).Should().Equal("e: 1", "d: 1", "c: 1");
        table.Size.Should().Be(3 * 34);
    }

    [Fact]
    [Trait("rfc", "7541-4.4")]
    public void Insert_LargerThanMaxSize_EmptiesTheTable()
    {
        var table = new DynamicTable(100);
        table.Insert(B("a"), B("1"));

        table.Insert(B("big"), new byte[100]);

        table.Count.Should().Be(0);
        table.Size.Should().Be(0);
    }

    [Fact]
    [Trait("rfc", "7541-4.4")]
    public void Insert_NameOfTheEntryItEvicts_KeepsTheName()
    {
        var table = new DynamicTable(70);
        table.Insert(B("reused-name"), B("first-value"));

        // The only entry is evicted to make room for this one, whose name comes from it.
        table.Insert(table[0].Name, B("second-value"));

        Contents(table).Should().Equal("reused-name: second-value");
    }

    [Fact]
    [Trait("rfc", "7541-4.3")]
    public void Resize_Smaller_EvictsUntilItFits()
    {
        var table = new DynamicTable(4096);
        foreach (var name in new[] { "a", "b", "c", "d" }) table.Insert(B(name), B("1"));

        table.Resize(68);

        Contents(table).Should().Equal("d: 1", "c: 1");
        table.MaxSize.Should().Be(68);
    }

    [Fact]
    [Trait("rfc", "7541-4.3")]
    public void Resize_ToZeroThenLarger_StartsEmptyAndKeepsOrder()
    {
        var table = new DynamicTable(4096);
        table.Insert(B("a"), B("1"));

        table.Resize(0);
        table.Count.Should().Be(0);
        table.Insert(B("x"), B("1"));
        table.Count.Should().Be(0, "nothing fits a zero-size table");

        table.Resize(200);
        foreach (var name in new[] { "p", "q", "r" }) table.Insert(B(name), B("1"));
        table.Resize(4096);
        table.Insert(B("s"), B("1"));

        Contents(table).Should().Equal("s: 1", "r: 1", "q: 1", "p: 1");
    }

    [Fact]
    public void Ring_AfterManyWrapArounds_StaysConsistent()
    {
        var table = new DynamicTable(10 * 40);
        for (var i = 0; i < 1000; i++)
        {
            table.Insert(B($"n{i % 10:D1}"), B($"v{i:D5}"));
        }

        table.Count.Should().Be(10);
        table.Size.Should().Be(10 * 40);
        Contents(table)[0].Should().Be("n9: v00999");
        Contents(table)[9].Should().Be("n0: v00990");
    }

    [Fact]
    public void Find_FullAndNameMatches_ReturnNewestIndex()
    {
        var table = new DynamicTable(4096);
        table.Insert(B("k"), B("1"));
        table.Insert(B("k"), B("2"));
        table.Insert(B("other"), B("x"));

        table.FindFullMatch(B("k"), B("1")).Should().Be(2);
        table.FindFullMatch(B("k"), B("3")).Should().Be(-1);
        table.FindName(B("k")).Should().Be(1);
        table.FindName(B("missing")).Should().Be(-1);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var table = new DynamicTable(4096);
        table.Insert(B("k"), B("1"));

        var act = () => table[1].Size;

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
