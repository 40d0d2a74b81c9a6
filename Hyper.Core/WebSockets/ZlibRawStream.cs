using System.Runtime.InteropServices;

namespace Hyper.Core.WebSockets;

/// <summary>
/// One raw-DEFLATE (RFC 1951, no zlib or gzip wrapper) compressor or decompressor on the system zlib
/// (libz.so.1), reached through P/Invoke. System.IO.Compression cannot be used for permessage-deflate: in .NET 10
/// it offers no window size, and RFC 7692's server_max_window_bits / client_max_window_bits need one.
/// <para>
/// The z_stream lives in native memory because zlib keeps a pointer back to it; input and output go through two
/// buffers on the pinned object heap, so no unsafe code is needed. The layout below is zlib's on 64-bit Unix
/// (LP64); <see cref="IsAvailable"/> is false elsewhere, and permessage-deflate is then declined.
/// </para>
/// </summary>
internal sealed class ZlibRawStream : IDisposable
{
    private const string Library = "libz.so.1";
    private const int ZOk = 0, ZStreamEnd = 1, ZBufError = -5;
    private const int ZNoFlush = 0, ZSyncFlush = 2;
    private const int ZDeflated = 8, ZDefaultStrategy = 0;

    // z_stream on LP64: pointers and uLong are 8 bytes, uInt 4 (padded to 8 before the next pointer).
    private const int StreamSize = 112;
    private const int NextInOffset = 0, AvailInOffset = 8, NextOutOffset = 24, AvailOutOffset = 32, MsgOffset = 48;

    private const int BufferSize = 16 * 1024;

    private static readonly bool Available = Probe();

    private readonly bool _deflate;
    private readonly IntPtr _stream;
    private readonly byte[] _input = GC.AllocateArray<byte>(BufferSize, pinned: true);
    private readonly byte[] _output = GC.AllocateArray<byte>(BufferSize, pinned: true);
    private readonly IntPtr _inputAddress;
    private readonly IntPtr _outputAddress;
    private bool _disposed;

    private ZlibRawStream(bool deflate, int windowBits, int level)
    {
        if (!IsAvailable) throw new PlatformNotSupportedException("The system zlib (libz.so.1 on 64-bit Unix) is not available.");
        _deflate = deflate;
        _inputAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_input, 0);
        _outputAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0);
        _stream = Marshal.AllocHGlobal(StreamSize);
        for (var offset = 0; offset < StreamSize; offset += 8) Marshal.WriteInt64(_stream, offset, 0);
        // Negative window bits select raw DEFLATE (no header, no checksum): RFC 7692 §7.2.1.
        var rc = deflate
            ? NativeMethods.deflateInit2_(_stream, level, ZDeflated, -windowBits, 8, ZDefaultStrategy, NativeMethods.zlibVersion(), StreamSize)
            : NativeMethods.inflateInit2_(_stream, -windowBits, NativeMethods.zlibVersion(), StreamSize);
        if (rc != ZOk)
        {
            Marshal.FreeHGlobal(_stream);
            throw new InvalidOperationException($"zlib init failed ({rc}).");
        }
    }

    /// <summary>True when libz.so.1 loads and this is a 64-bit Unix process (the z_stream layout above).</summary>
    public static bool IsAvailable => Available;

    /// <summary>A compressor with a 2^<paramref name="windowBits"/> window (9–15; zlib has no raw 8-bit window).</summary>
    public static ZlibRawStream CreateDeflater(int windowBits, int level = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, 15);
        return new ZlibRawStream(deflate: true, windowBits, level);
    }

    /// <summary>A decompressor accepting data compressed with windows up to 2^<paramref name="windowBits"/> (9–15).</summary>
    public static ZlibRawStream CreateInflater(int windowBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, 15);
        return new ZlibRawStream(deflate: false, windowBits, 0);
    }

    /// <summary>Input taken by an earlier call and not yet processed (output space ran out first).</summary>
    public int PendingInput { get; private set; }

    /// <summary>The deflate stream ended (a block with BFINAL set was inflated); input after it is ignored.</summary>
    public bool Finished { get; private set; }

    /// <summary>
    /// One zlib step. New input is taken only when none is pending (<paramref name="consumed"/> says how much);
    /// at most <paramref name="output"/>.Length (and 16 KiB) bytes are produced (<paramref name="written"/>).
    /// With <paramref name="syncFlush"/> a compressor flushes to a byte boundary (RFC 7692 §7.2.1).
    /// Returns false on corrupt input (inflate only).
    /// </summary>
    public bool Step(ReadOnlySpan<byte> input, Span<byte> output, bool syncFlush, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        consumed = 0;
        written = 0;
        if (PendingInput == 0)
        {
            consumed = Math.Min(input.Length, BufferSize);
            input[..consumed].CopyTo(_input);
            Marshal.WriteIntPtr(_stream, NextInOffset, _inputAddress);
            Marshal.WriteInt32(_stream, AvailInOffset, consumed);
            PendingInput = consumed;
        }
        var room = Math.Min(output.Length, BufferSize);
        Marshal.WriteIntPtr(_stream, NextOutOffset, _outputAddress);
        Marshal.WriteInt32(_stream, AvailOutOffset, room);

        int rc;
        if (Finished)
        {
            // Bytes after the end of the deflate stream carry nothing: drop them.
            Marshal.WriteInt32(_stream, AvailInOffset, 0);
            rc = ZOk;
        }
        else
        {
            rc = _deflate
                ? NativeMethods.deflate(_stream, syncFlush ? ZSyncFlush : ZNoFlush)
                : NativeMethods.inflate(_stream, ZNoFlush);
        }

        PendingInput = Marshal.ReadInt32(_stream, AvailInOffset);
        written = room - Marshal.ReadInt32(_stream, AvailOutOffset);
        _output.AsSpan(0, written).CopyTo(output);
        if (rc == ZStreamEnd)
        {
            Finished = true;
            PendingInput = 0;
            return true;
        }
        return rc is ZOk or ZBufError;
    }

    /// <summary>zlib's message for the last error, if any.</summary>
    public string? ErrorMessage
    {
        get
        {
            var message = Marshal.ReadIntPtr(_stream, MsgOffset);
            return message == IntPtr.Zero ? null : Marshal.PtrToStringAnsi(message);
        }
    }

    /// <summary>Starts a new stream with an empty window (no context takeover, RFC 7692 §7.1.1).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rc = _deflate ? NativeMethods.deflateReset(_stream) : NativeMethods.inflateReset(_stream);
        if (rc != ZOk) throw new InvalidOperationException($"zlib reset failed ({rc}).");
        PendingInput = 0;
        Finished = false;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    // zlib's state is native memory: a stream that was never disposed still gives it back.
    ~ZlibRawStream() => Free();

    private void Free()
    {
        if (_disposed) return;
        _disposed = true;
        if (_deflate) NativeMethods.deflateEnd(_stream);
        else NativeMethods.inflateEnd(_stream);
        Marshal.FreeHGlobal(_stream);
    }

    private static bool Probe()
    {
        if (IntPtr.Size != 8 || OperatingSystem.IsWindows()) return false;
        if (!NativeLibrary.TryLoad(Library, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }

    // zlib's own entry points (zlib.h); the *_ variants are what the deflateInit2/inflateInit2 macros call.
    private static class NativeMethods
    {
        [DllImport(Library)] public static extern IntPtr zlibVersion();
        [DllImport(Library)] public static extern int deflateInit2_(IntPtr stream, int level, int method, int windowBits, int memLevel, int strategy, IntPtr version, int streamSize);
        [DllImport(Library)] public static extern int deflate(IntPtr stream, int flush);
        [DllImport(Library)] public static extern int deflateReset(IntPtr stream);
        [DllImport(Library)] public static extern int deflateEnd(IntPtr stream);
        [DllImport(Library)] public static extern int inflateInit2_(IntPtr stream, int windowBits, IntPtr version, int streamSize);
        [DllImport(Library)] public static extern int inflate(IntPtr stream, int flush);
        [DllImport(Library)] public static extern int inflateReset(IntPtr stream);
        [DllImport(Library)] public static extern int inflateEnd(IntPtr stream);
    }
}
