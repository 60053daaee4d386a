namespace Argus.Core.Security;

/// <summary>A viewer's access to one camera: which rights, and when (null schedule: always).</summary>
public sealed record CameraGrant(string CameraId, CameraRights Rights, AccessSchedule? Schedule);

public interface IGrantStore
{
    Task<IReadOnlyList<CameraGrant>> ForUserAsync(string userId, CancellationToken ct = default);
    /// <summary>Replaces all of a user's grants at once.</summary>
    Task ReplaceAsync(string userId, IReadOnlyList<CameraGrant> grants, CancellationToken ct = default);
}
