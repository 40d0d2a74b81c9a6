using System.Globalization;

namespace Hyper.Cli.Workers;

/// <summary>
/// What the supervisor tells a worker it starts, as the value of the hidden <c>--worker-process</c> flag: the
/// write end of its heartbeat pipe and the inherited listening descriptors, <c>bind</c> ones (served with TLS when a
/// certificate is configured) apart from <c>insecure_bind</c> ones. Form: <c>channel=5;bind=7,8;insecure=9;index=2</c>.
/// </summary>
internal sealed record WorkerLaunch(int Channel, IReadOnlyList<int> Bind, IReadOnlyList<int> InsecureBind, int Index)
{
    public const string Flag = "--worker-process";

    public string Format() => string.Join(';',
        $"channel={Channel.ToString(CultureInfo.InvariantCulture)}",
        $"bind={string.Join(',', Bind.Select(fd => fd.ToString(CultureInfo.InvariantCulture)))}",
        $"insecure={string.Join(',', InsecureBind.Select(fd => fd.ToString(CultureInfo.InvariantCulture)))}",
        $"index={Index.ToString(CultureInfo.InvariantCulture)}");

    /// <exception cref="FormatException">Not what <see cref="Format"/> writes.</exception>
    public static WorkerLaunch Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0) throw new FormatException($"'{text}' is not a worker launch");
            fields[part[..equals]] = part[(equals + 1)..];
        }
        return new WorkerLaunch(Number(Field("channel")), Numbers(Field("bind")), Numbers(Field("insecure")), Number(Field("index")));

        string Field(string name) => fields.TryGetValue(name, out var value) ? value : throw new FormatException($"'{text}' has no {name}");
    }

    private static int Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"'{text}' is not a descriptor number");

    private static int[] Numbers(string text) =>
        text.Length == 0 ? [] : text.Split(',').Select(Number).ToArray();
}
