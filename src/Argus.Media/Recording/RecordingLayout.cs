using System.Globalization;
using Argus.Core.Cameras;

namespace Argus.Media.Recording;

/// <summary>
/// Where recordings live: &lt;root&gt;/&lt;camera&gt;/&lt;yyyy-MM-dd&gt;/&lt;HH&gt;/&lt;start&gt;.mp4 (UTC), with segments
/// being written in &lt;root&gt;/&lt;camera&gt;/.incoming until validated and indexed.
/// </summary>
public sealed class RecordingLayout(string root)
{
    private const string StartFormat = "yyyyMMdd'T'HHmmss.fff'Z'";
    public const string IncomingFolder = ".incoming";

    public string Root { get; } = Path.GetFullPath(root);

    public string CameraDir(string cameraId)
    {
        if (!CameraId.IsValid(cameraId)) throw new ArgumentException("invalid camera id");
        return Path.Combine(Root, cameraId);
    }

    public string IncomingDir(string cameraId) => Path.Combine(CameraDir(cameraId), IncomingFolder);

    /// <summary>Privacy mask images of the camera (no .mp4 in it, so reconcile leaves it alone).</summary>
    public string PrivacyDir(string cameraId) => Path.Combine(CameraDir(cameraId), ".privacy");

    /// <summary>Relative path (to <see cref="Root"/>) for a segment starting at <paramref name="start"/>.</summary>
    public static string RelativePath(string cameraId, DateTimeOffset start)
    {
        var u = start.UtcDateTime;
        return Path.Combine(cameraId, u.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), u.ToString("HH", CultureInfo.InvariantCulture),
            u.ToString(StartFormat, CultureInfo.InvariantCulture) + ".mp4");
    }

    public string FullPath(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("path escapes the recordings root");
        return full;
    }

    /// <summary>Reads camera and start back from a relative path made by <see cref="RelativePath"/>.</summary>
    public static bool TryParseRelative(string relativePath, out string cameraId, out DateTimeOffset start)
    {
        cameraId = "";
        start = default;
        var parts = relativePath.Split(Path.DirectorySeparatorChar);
        if (parts.Length != 4 || !CameraId.IsValid(parts[0]) || !parts[3].EndsWith(".mp4", StringComparison.Ordinal)) return false;
        var name = Path.GetFileNameWithoutExtension(parts[3]);
        if (!DateTime.TryParseExact(name, StartFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)) return false;
        cameraId = parts[0];
        start = new DateTimeOffset(t, TimeSpan.Zero);
        return true;
    }
}
