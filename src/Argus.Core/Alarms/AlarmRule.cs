namespace Argus.Core.Alarms;

/// <summary>
/// "When armed and motion in zone Shop floor for at least 1 s, raise an alarm." Zones are referenced by name; an
/// empty list means anywhere in the frame (outside motion masks).
/// </summary>
public sealed record AlarmRule
{
    public const int MaxNameLength = 80;

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string CameraId { get; init; }
    public IReadOnlyList<string> Zones { get; init; } = [];
    /// <summary>Motion must last this long (continuously, allowing one missed frame) before the alarm is raised.</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Fraction of a zone that must be moving to count as motion in it.</summary>
    public double MinCoverage { get; init; } = 0.01;
    /// <summary>Only while the camera is armed (the usual intruder rule); false raises alarms at any time.</summary>
    public bool WhenArmed { get; init; } = true;
    public bool Enabled { get; init; } = true;

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public AlarmRule Validate()
    {
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("name is required.");
        if (name.Length > MaxNameLength || name.Any(char.IsControl)) throw new ArgumentException($"name must be 1 to {MaxNameLength} printable characters.");
        if (MinDuration < TimeSpan.Zero || MinDuration > TimeSpan.FromMinutes(60)) throw new ArgumentException("minSeconds must be between 0 and 3600.");
        if (!double.IsFinite(MinCoverage) || MinCoverage <= 0 || MinCoverage > 1) throw new ArgumentException("minCoverage must be above 0 and at most 1.");
        if (Zones.Count > 16) throw new ArgumentException("a rule may name at most 16 zones.");
        return this with { Name = name };
    }
}

public interface IRuleStore
{
    Task<IReadOnlyList<AlarmRule>> ListAsync(string? cameraId = null, CancellationToken ct = default);
    Task<AlarmRule?> GetAsync(string id, CancellationToken ct = default);
    Task AddAsync(AlarmRule rule, CancellationToken ct = default);
    Task<bool> UpdateAsync(AlarmRule rule, CancellationToken ct = default);
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
