namespace Argus.Core.Events;

public sealed record EventQuery(string? CameraId, string? Type, DateTimeOffset? From, DateTimeOffset? To, int Limit = 1000)
{
    /// <summary>Only events that touched this zone.</summary>
    public string? Zone { get; init; }
    /// <summary>Only object events of this class / on this line.</summary>
    public string? Class { get; init; }
    public string? Line { get; init; }
}

public interface IEventLog
{
    Task<long> AddAsync(string? cameraId, string type, DateTimeOffset start, DateTimeOffset? end, string? detail = null, CancellationToken ct = default);
    /// <summary>Adds an analysis event (motion, alarm, tamper) with its zones and rule.</summary>
    Task<long> AddAsync(CameraEvent e, CancellationToken ct = default);
    Task CloseAsync(long id, DateTimeOffset end, CancellationToken ct = default);
    /// <summary>Records what an analysis event grew to: its zones, peak area, snapshot, and end when it has one.</summary>
    Task UpdateAsync(CameraEvent e, CancellationToken ct = default);
    Task<CameraEvent?> GetAsync(long id, CancellationToken ct = default);
    /// <summary>The newest event of this type for the camera that has no end yet.</summary>
    Task<CameraEvent?> FindOpenAsync(string cameraId, string type, CancellationToken ct = default);
    Task<IReadOnlyList<CameraEvent>> QueryAsync(EventQuery query, CancellationToken ct = default);
    /// <summary>Ends analysis events left open by a crash (at their start: their real end is unknown).</summary>
    Task<int> CloseAbandonedAsync(IReadOnlyCollection<string> types, CancellationToken ct = default);
}
