using Argus.Core.Time;

namespace Argus.Core.Recording;

public interface ISegmentIndex
{
    Task<long> AddAsync(Segment segment, CancellationToken ct = default);
    Task<IReadOnlyList<Segment>> ListAsync(string cameraId, TimeRange range, CancellationToken ct = default);
    Task<Segment?> GetAsync(string cameraId, long id, CancellationToken ct = default);
    Task<IReadOnlyList<string>> AllPathsAsync(CancellationToken ct = default);
    Task RemoveAsync(IEnumerable<long> ids, CancellationToken ct = default);
    Task RemoveByPathsAsync(IEnumerable<string> paths, CancellationToken ct = default);
    /// <summary>Oldest first, across all cameras or one camera, paged.</summary>
    Task<IReadOnlyList<Segment>> OldestAsync(string? cameraId, DateTimeOffset? endsBefore, int skip, int limit, CancellationToken ct = default);
    Task<long> TotalBytesAsync(CancellationToken ct = default);
    /// <summary>End of the newest segment of any camera: about when this node last recorded.</summary>
    Task<DateTimeOffset?> LatestEndAsync(CancellationToken ct = default);
    /// <summary>Whether any recording of this camera is indexed (a deleted camera's recordings stay reachable).</summary>
    Task<bool> HasCameraAsync(string cameraId, CancellationToken ct = default);
    /// <summary>The camera's most recent segment, or null.</summary>
    Task<Segment?> NewestAsync(string cameraId, CancellationToken ct = default);
}

public interface IEvidenceLocks
{
    Task<long> AddAsync(EvidenceLock evidenceLock, CancellationToken ct = default);
    Task<bool> RemoveAsync(string cameraId, long id, CancellationToken ct = default);
    Task<IReadOnlyList<EvidenceLock>> ListAsync(string? cameraId, CancellationToken ct = default);
}
