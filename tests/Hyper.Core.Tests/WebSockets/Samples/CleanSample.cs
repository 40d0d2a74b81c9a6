namespace Hyper.Core.Tests.WebSockets.Clean;

/// <summary>Sans-IO in miniature: the namespace scan must find nothing here.</summary>
internal static class CleanSample
{
    public static int Sum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes) sum += b;
        return sum;
    }
}
