namespace Hyper.Cli.Tests;

public class TomlConfigurationReaderTests
{
    [Fact]
    public void Read_ScalarsArraysAndTables_FlattenToConfigurationKeys()
    {
        var flat = TomlConfigurationReader.Read("t.toml", """
            name = "x"
            count = 3
            ratio = 0.5
            enabled = true
            list = ["a", "b"]
            empty = []
            [section]
            key = "v"
            [section.inner]
            deep = 1
            """);

        flat.Should().BeEquivalentTo(new Dictionary<string, string?>
        {
            ["name"] = "x",
            ["count"] = "3",
            ["ratio"] = "0.5",
            ["enabled"] = "true",
            ["list:0"] = "a",
            ["list:1"] = "b",
            ["empty"] = "",
            ["section:key"] = "v",
            ["section:inner:deep"] = "1",
        });
    }
}
