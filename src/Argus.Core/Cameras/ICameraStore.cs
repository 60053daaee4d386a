namespace Argus.Core.Cameras;

/// <summary>The durable desired state of cameras (the database is the source of truth).</summary>
public interface ICameraStore
{
    Task<CameraConfig?> GetAsync(string id, CancellationToken ct = default);
    Task<IReadOnlyList<CameraConfig>> ListAsync(CancellationToken ct = default);
    Task AddAsync(CameraConfig camera, CancellationToken ct = default);
    Task<bool> UpdateAsync(CameraConfig camera, CancellationToken ct = default);
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
