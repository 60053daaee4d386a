using Argus.Core.Alarms;
using Argus.Core.Objects;

namespace Argus.Core.Analysis;

public enum ObjectTrigger { Enter, Leave, Dwell, Cross }

/// <summary>
/// "A person enters zone Yard", "a car stays in zone No parking at least 300 s", "a person crosses line Fence ab".
/// Each match is an object event (object.enter, object.leave, object.dwell, line.cross) naming the rule, so
/// notifications can be routed by rule. Zones and lines are referenced by name.
/// </summary>
public sealed record ObjectRule
{
    public const int MaxPerCamera = 32;

    public required string Id { get; init; }
    public required string CameraId { get; init; }
    public required string Name { get; init; }
    public ObjectTrigger Trigger { get; init; }
    public string? Zone { get; init; }
    public string? Line { get; init; }
    /// <summary>"ab", "ba" or null for either direction (cross rules).</summary>
    public string? Direction { get; init; }
    public IReadOnlyList<string> Classes { get; init; } = ObjectClasses.Default;
    /// <summary>How long an object must stay in the zone (dwell rules).</summary>
    public double DwellSeconds { get; init; }
    /// <summary>Only while the camera is armed.</summary>
    public bool WhenArmed { get; init; }
    public bool Enabled { get; init; } = true;

    public static string TriggerName(ObjectTrigger t) => t.ToString().ToLowerInvariant();

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static ObjectTrigger ParseTrigger(string? s) => (s ?? "").Trim().ToLowerInvariant() switch
    {
        "enter" => ObjectTrigger.Enter,
        "leave" => ObjectTrigger.Leave,
        "dwell" => ObjectTrigger.Dwell,
        "cross" => ObjectTrigger.Cross,
        _ => throw new ArgumentException("trigger must be 'enter', 'leave', 'dwell' or 'cross'."),
    };

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public ObjectRule Validate(IReadOnlyList<CameraZone> zones, IReadOnlyList<CameraLine> lines)
    {
        var name = Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > AlarmRule.MaxNameLength || name.Any(char.IsControl))
            throw new ArgumentException($"name must be 1 to {AlarmRule.MaxNameLength} printable characters.");
        var classes = ObjectClasses.Validate(Classes, ObjectClasses.Default);
        string? zone = null, line = null, direction = null;
        if (Trigger == ObjectTrigger.Cross)
        {
            if (Zone is not null) throw new ArgumentException("a cross rule takes a line, not a zone.");
            line = lines.FirstOrDefault(l => string.Equals(l.Name, Line?.Trim(), StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw new ArgumentException(Line is null ? "a cross rule needs a line." : $"the camera has no line named '{Line}'.");
            direction = Direction?.Trim().ToLowerInvariant() switch
            {
                null or "" or "any" => null,
                "ab" => "ab",
                "ba" => "ba",
                _ => throw new ArgumentException("direction must be 'ab', 'ba' or 'any'."),
            };
        }
        else
        {
            zone = zones.FirstOrDefault(z => z.Kind == ZoneKind.Zone && string.Equals(z.Name, Zone?.Trim(), StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw new ArgumentException(Zone is null ? $"a {TriggerName(Trigger)} rule needs a zone." : $"the camera has no zone named '{Zone}'.");
            if (Line is not null || Direction is not null) throw new ArgumentException($"a {TriggerName(Trigger)} rule takes a zone, not a line or direction.");
        }
        if (Trigger == ObjectTrigger.Dwell && (!double.IsFinite(DwellSeconds) || DwellSeconds < 1 || DwellSeconds > 86400))
            throw new ArgumentException("a dwell rule needs dwellSeconds between 1 and 86400.");
        return this with { Name = name, Classes = classes, Zone = zone, Line = line, Direction = direction,
            DwellSeconds = Trigger == ObjectTrigger.Dwell ? DwellSeconds : 0 };
    }
}

public interface IObjectRuleStore
{
    Task<IReadOnlyList<ObjectRule>> ListAsync(string cameraId, CancellationToken ct = default);
    Task<ObjectRule?> GetAsync(string cameraId, string ruleId, CancellationToken ct = default);
    Task AddAsync(ObjectRule rule, CancellationToken ct = default);
    Task<bool> UpdateAsync(ObjectRule rule, CancellationToken ct = default);
    Task<bool> DeleteAsync(string cameraId, string ruleId, CancellationToken ct = default);
}
