using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hyper.Core.Logging;

/// <summary>
/// Opens a log file so that every write lands at the end of the file as it is at that moment (POSIX <c>O_APPEND</c>).
/// .NET's <c>FileMode.Append</c> only seeks to the end once and then writes at its own position, so with worker
/// processes sharing one access or error log each process overwrote the others' lines. With <c>O_APPEND</c> the
/// kernel moves to the end on every write (on Linux even for the positioned writes FileStream uses), so lines from
/// several processes follow one another. Elsewhere than Linux it falls back to <c>FileMode.Append</c>.
/// </summary>
public static class AppendOnlyFile
{
    // Linux values (fcntl.h, x86-64 and arm64).
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;

    /// <exception cref="IOException">The file cannot be opened (the message says why).</exception>
    public static FileStream Open(string path, int bufferSize)
    {
        if (!OperatingSystem.IsLinux())
            // FileShare.ReadWrite|Delete: tail, and logrotate's rename or copytruncate, keep working while we append.
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize);
        var fd = OpenNative(Path.GetFullPath(path), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 13) throw new UnauthorizedAccessException($"permission denied (errno {errno})");
            throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        return new FileStream(handle, FileAccess.Write, bufferSize);
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int OpenNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
}
