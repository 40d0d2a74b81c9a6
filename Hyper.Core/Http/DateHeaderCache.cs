using System.Globalization;
using System.Text;
using Hyper.Core.Application;

namespace Hyper.Core.Http;

/// <summary>
/// The <c>date</c> response header (RFC 9110 §6.6.1, IMF-fixdate), formatted at most once per second and
/// shared by every protocol. Each new second gets a new array, so a field handed out earlier stays valid.
/// </summary>
internal sealed class DateHeaderCache(TimeProvider time)
{
    private static readonly byte[] Name = "date"u8.ToArray();
    private sealed record Entry(long Second, HeaderField Field);

    private Entry? _current;

    public HeaderField Current
    {
        get
        {
            var now = time.GetUtcNow();
            var second = now.ToUnixTimeSeconds();
            var entry = _current;
            if (entry is null || entry.Second != second)
            {
                var text = now.ToString("r", CultureInfo.InvariantCulture);
                entry = new Entry(second, new HeaderField(Name, Encoding.ASCII.GetBytes(text)));
                _current = entry;
            }
            return entry.Field;
        }
    }
}
