using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Hyper.Backends.SingleThreadLoop.Interop;

/// <summary>
/// The few libc calls the loop needs (epoll(7), eventfd(2)). Buffers are plain byte arrays so no unsafe code is
/// needed: <c>struct epoll_event</c> is packed to 12 bytes on x86-64 and naturally aligned (16 bytes) elsewhere.
/// </summary>
internal static class LinuxEpoll
{
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLONESHOT = 1u << 30;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;

    private const int EPOLL_CLOEXEC = 0x80000;
    private const int EFD_CLOEXEC = 0x80000;
    private const int EFD_NONBLOCK = 0x800;
    public const int EINTR = 4;
    public const int EAGAIN = 11;

    /// <summary>sizeof(struct epoll_event) on this machine.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [DllImport("libc", SetLastError = true, EntryPoint = "epoll_create1")]
    private static extern int EpollCreate1Native(int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "epoll_ctl")]
    private static extern int EpollCtlNative(int epfd, int op, int fd, byte[] ev);

    [DllImport("libc", SetLastError = true, EntryPoint = "epoll_wait")]
    private static extern int EpollWaitNative(int epfd, byte[] events, int maxEvents, int timeoutMs);

    [DllImport("libc", SetLastError = true, EntryPoint = "eventfd")]
    private static extern int EventFdNative(uint initialValue, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "read")]
    private static extern nint ReadNative(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true, EntryPoint = "write")]
    private static extern nint WriteNative(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    private static extern int CloseNative(int fd);

    public static int CreateEpoll()
    {
        var fd = EpollCreate1Native(EPOLL_CLOEXEC);
        if (fd < 0) throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        return fd;
    }

    public static int CreateEventFd()
    {
        var fd = EventFdNative(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0) throw new IOException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        return fd;
    }

    /// <summary>Adds, modifies or removes <paramref name="fd"/>; the fd itself is the event's user data.</summary>
    public static void Control(int epfd, int op, int fd, uint events, byte[] scratch)
    {
        WriteEvent(scratch, 0, events, (ulong)fd);
        if (EpollCtlNative(epfd, op, fd, scratch) < 0)
            throw new IOException($"epoll_ctl({op}) on fd {fd} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Removes <paramref name="fd"/>, ignoring errors (it may already be gone with its socket).</summary>
    public static void TryRemove(int epfd, int fd, byte[] scratch)
    {
        WriteEvent(scratch, 0, 0, (ulong)fd);
        EpollCtlNative(epfd, EPOLL_CTL_DEL, fd, scratch);
    }

    /// <summary>Waits for readiness; returns the number of events, 0 on timeout or on a signal (EINTR).</summary>
    public static int Wait(int epfd, byte[] events, int timeoutMs)
    {
        var count = EpollWaitNative(epfd, events, events.Length / EventSize, timeoutMs);
        if (count >= 0) return count;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EINTR) return 0;
        throw new IOException($"epoll_wait failed: errno {errno}");
    }

    public static (uint Events, int Fd) ReadEvent(byte[] events, int index)
    {
        var span = events.AsSpan(index * EventSize, EventSize);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(span);
        var data = BinaryPrimitives.ReadUInt64LittleEndian(span[DataOffset..]);
        return (flags, (int)data);
    }

    private static void WriteEvent(byte[] buffer, int index, uint events, ulong data)
    {
        var span = buffer.AsSpan(index * EventSize, EventSize);
        span.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(span, events);
        BinaryPrimitives.WriteUInt64LittleEndian(span[DataOffset..], data);
    }

    /// <summary>Adds one to an eventfd counter (a wake-up); EAGAIN means the counter is already non-zero.</summary>
    public static void Signal(int eventFd, byte[] eightBytes)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(eightBytes, 1);
        WriteNative(eventFd, eightBytes, 8);
    }

    /// <summary>Resets an eventfd counter to zero.</summary>
    public static void Drain(int eventFd, byte[] eightBytes) => ReadNative(eventFd, eightBytes, 8);

    public static void Close(int fd) => CloseNative(fd);
}
