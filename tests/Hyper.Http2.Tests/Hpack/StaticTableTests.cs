using System.Text;
using Hyper.Http2.Hpack;

namespace Hyper.Http2.Tests.Hpack;

public sealed class StaticTableTests
{
    [Theory]
    [Trait("rfc", "7541-A")]
    [InlineData(1, ":authority", "")]
    [InlineData(2, ":method", "GET")]
    [InlineData(8, ":status", "200")]
    [InlineData(14, ":status", "500")]
    [InlineData(16, "accept-encoding", "gzip, deflate")]
    [InlineData(32, "cookie", "")]
    [InlineData(55, "set-cookie", "")]
    [InlineData(61, "www-authenticate", "")]
    public void Get_AppendixAEntries_Match(int index, string name, string value)
    {
        var entry = StaticTable.Get(index);

        Encoding.ASCII.GetString(entry.Name).Should().Be(name);
        Encoding.ASCII.GetString(entry.Value).Should().Be(value);
    }

    [Theory]
    [InlineData(":method", "POST", 3, true)]
    [InlineData(":status", "404", 13, true)]
    [InlineData(":status", "302", 8, false)]
    [InlineData("content-type", "text/html", 31, false)]
    [InlineData("x-unknown", "1", 0, false)]
    public void Find_NameAndValue_ReturnsFullOrNameMatch(string name, string value, int index, bool full)
    {
        StaticTable.Find(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), out var fullMatch).Should().Be(index);

        fullMatch.Should().Be(full);
    }

    [Fact]
    public void Find_EveryEntry_FindsItself()
    {
        for (var index = 1; index <= StaticTable.Count; index++)
        {
            var entry = StaticTable.Get(index);
            StaticTable.Find(entry.Name, entry.Value, out var fullMatch).Should().Be(index);
            fullMatch.Should().BeTrue();
        }
    }
}
