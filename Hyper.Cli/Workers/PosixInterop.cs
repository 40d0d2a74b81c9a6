using System.Runtime.InteropServices;

namespace Hyper.Cli.Workers;

/// <summary>
/// The two libc calls the supervisor needs and .NET does not offer: marking a descriptor inheritable across exec
/// (.NET opens everything close-on-exec) and sending a signal other than SIGKILL to a child (Process.Kill only kills).
/// </summary>
internal static class PosixInterop
{
    // Linux signal numbers (signal(7)); the supervisor runs on Linux only.
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGTERM = 15;

    /// <summary>SIGUSR1 for <see cref="PosixSignalRegistration"/>, which takes a raw signal number cast to <see cref="PosixSignal"/>.</summary>
    public const PosixSignal Usr1 = (PosixSignal)SIGUSR1;

    private const int F_GETFD = 1;
    private const int F_SETFD = 2;
    private const int FD_CLOEXEC = 1;

    [DllImport("libc", SetLastError = true, EntryPoint = "fcntl")]
    private static extern int FcntlNative(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int KillNative(int pid, int signal);

    /// <summary>Clears (inheritable) or sets FD_CLOEXEC on <paramref name="fd"/>.</summary>
    public static void SetInheritable(int fd, bool inheritable)
    {
        var flags = FcntlNative(fd, F_GETFD, 0);
        if (flags < 0) throw new IOException($"fcntl(F_GETFD) on descriptor {fd} failed: errno {Marshal.GetLastPInvokeError()}");
        var wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
        if (wanted != flags && FcntlNative(fd, F_SETFD, wanted) < 0)
            throw new IOException($"fcntl(F_SETFD) on descriptor {fd} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is already gone.</summary>
    public static bool Signal(int pid, int signal) => KillNative(pid, signal) == 0;
}
