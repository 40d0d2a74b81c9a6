using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Hyper.Cli.Systemd;

/// <summary>
/// sd_notify(3) for <c>Type=notify</c> (and <c>notify-reload</c>) units: datagrams to the unix socket systemd names in
/// <c>NOTIFY_SOCKET</c>. <c>READY=1</c> once the server serves, <c>RELOADING=1</c> with <c>MONOTONIC_USEC</c> when a
/// reload starts (READY=1 again when it is done), <c>STOPPING=1</c> when shutdown starts. Without the variable every
/// call does nothing. Only the main process notifies: workers never create one.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;

    private SystemdNotifier(Socket? socket, UnixDomainSocketEndPoint? endPoint)
    {
        _socket = socket;
        _endPoint = endPoint;
    }

    /// <summary>A notifier for <paramref name="notifySocket"/> (the variable's value); a silent one when it is unset.</summary>
    public static SystemdNotifier Create(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || !OperatingSystem.IsLinux()) return new SystemdNotifier(null, null);
        // sd_notify(3): a leading '@' names a socket in the abstract namespace.
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        return new SystemdNotifier(new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified), new UnixDomainSocketEndPoint(path));
    }

    public void Ready() => Send($"READY=1\nMAINPID={Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A reload has started; systemd wants the monotonic clock's time of it (CLOCK_MONOTONIC, which Stopwatch reads on Linux).</summary>
    public void Reloading()
    {
        var microseconds = (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));
        Send($"RELOADING=1\nMONOTONIC_USEC={microseconds.ToString(CultureInfo.InvariantCulture)}");
    }

    public void Stopping() => Send("STOPPING=1");

    /// <summary>Free-form status line shown by <c>systemctl status</c>.</summary>
    public void Status(string text) => Send("STATUS=" + text.ReplaceLineEndings(" "));

    private void Send(string message)
    {
        if (_socket is null) return;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), _endPoint!);
        }
        catch (SocketException)
        {
            // systemd gone or the socket wrong: serving matters more than telling it.
        }
    }

    public void Dispose() => _socket?.Dispose();
}
