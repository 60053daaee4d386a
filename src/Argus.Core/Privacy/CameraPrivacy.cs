using Argus.Core.Geometry;

namespace Argus.Core.Privacy;

/// <summary>
/// A camera's privacy masks and whether it is privacy-critical (masked pixels are never stored: its stream is
/// re-encoded with the masks). A critical camera without masks is recorded as any other.
/// </summary>
public sealed record CameraPrivacy(IReadOnlyList<Polygon> Masks, bool Critical)
{
    public static readonly CameraPrivacy None = new([], false);

    public bool HasMasks => Masks.Count > 0;

    /// <summary>Same masks (point by point, in order) and the same flag: a recorder need not restart.</summary>
    public bool SameAs(CameraPrivacy other) =>
        Critical == other.Critical && Masks.Count == other.Masks.Count
        && Masks.Zip(other.Masks).All(p => p.First.Points.SequenceEqual(p.Second.Points));
}

/// <summary>
/// Where the media side learns a camera's privacy settings (zones of kind "privacy" and the camera's
/// privacy-critical flag). Implemented by the server over its stores; every way video leaves the server asks it.
/// </summary>
public interface ICameraPrivacy
{
    Task<CameraPrivacy> ForCameraAsync(string cameraId, CancellationToken ct = default);
}

/// <summary>No camera has masks: the default until the server's store implements <see cref="ICameraPrivacy"/>.</summary>
public sealed class NoCameraPrivacy : ICameraPrivacy
{
    public Task<CameraPrivacy> ForCameraAsync(string cameraId, CancellationToken ct = default) => Task.FromResult(CameraPrivacy.None);
}
