using System.Runtime.InteropServices;

namespace Argus.Media.Native;

/// <summary>The libc calls .NET does not expose: file birth time (statx), pipe capacity (fcntl F_SETPIPE_SZ).</summary>
internal static partial class Posix
{
    private const int AtFdCwd = -100;
    private const uint StatxBtime = 0x800;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>When the file was created, if the file system records it; .NET's GetCreationTime falls back to mtime on Linux.</summary>
    public static unsafe DateTimeOffset? BirthTime(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxBtime, buffer) != 0) return null;
        }
        catch (EntryPointNotFoundException) { return null; }
        var mask = *(uint*)buffer;
        if ((mask & StatxBtime) == 0) return null;
        var seconds = *(long*)(buffer + 80);
        var nanos = *(uint*)(buffer + 88);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
    }

    private const int FSetPipeSize = 1031;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);

    /// <summary>
    /// Asks for a pipe buffer of <paramref name="bytes"/> (Linux caps it at /proc/sys/fs/pipe-max-size, 1 MiB by
    /// default); returns the size granted, or null where that is not possible.
    /// </summary>
    public static int? SetPipeSize(System.Runtime.InteropServices.SafeHandle pipe, int bytes)
    {
        if (!OperatingSystem.IsLinux() || pipe.IsInvalid) return null;
        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            var granted = Fcntl((int)pipe.DangerousGetHandle(), FSetPipeSize, bytes);
            return granted > 0 ? granted : null;
        }
        catch (EntryPointNotFoundException) { return null; }
        finally
        {
            if (added) pipe.DangerousRelease();
        }
    }
}
