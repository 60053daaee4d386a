namespace Argus.Media.Storage;

public interface IDiskSpace
{
    /// <summary>Bytes free to an unprivileged writer on the volume holding <paramref name="path"/>.</summary>
    long FreeBytes(string path);
    long TotalBytes(string path);
}

public sealed class DriveDiskSpace : IDiskSpace
{
    public long FreeBytes(string path) => new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
    public long TotalBytes(string path) => new DriveInfo(Path.GetFullPath(path)).TotalSize;
}
