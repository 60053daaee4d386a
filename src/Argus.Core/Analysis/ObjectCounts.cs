namespace Argus.Core.Analysis;

/// <summary>Objects of one class that crossed a line in one direction during [Start, End).</summary>
public sealed record LineCount(string CameraId, string Line, string Class, string Direction, DateTimeOffset Start, DateTimeOffset End, int Count);

public interface ICountStore
{
    /// <summary>Adds closed 1-minute buckets; a bucket already stored (same camera, line, class, direction, start) is summed.</summary>
    Task AddAsync(IReadOnlyList<LineCount> minutes, CancellationToken ct = default);
    /// <summary>1-minute buckets of a camera (optionally one line) with Start in [from, to), oldest first.</summary>
    Task<IReadOnlyList<LineCount>> QueryAsync(string cameraId, string? line, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);
    Task<int> DeleteCameraAsync(string cameraId, CancellationToken ct = default);
}
