namespace Argus.Core.Events;

public sealed record EventQuery(string? CameraId, string? Type, DateTimeOffset? From, DateTimeOffset? To, int Limit = 1000);

public interface IEventLog
{
    Task<long> AddAsync(string? cameraId, string type, DateTimeOffset start, DateTimeOffset? end, string? detail = null, CancellationToken ct = default);
    Task CloseAsync(long id, DateTimeOffset end, CancellationToken ct = default);
    /// <summary>The newest event of this type for the camera that has no end yet.</summary>
    Task<CameraEvent?> FindOpenAsync(string cameraId, string type, CancellationToken ct = default);
    Task<IReadOnlyList<CameraEvent>> QueryAsync(EventQuery query, CancellationToken ct = default);
}
