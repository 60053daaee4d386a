namespace Argus.Data.Entities;

public sealed class ZoneRow : Stores.ICameraScopedRow
{
    public required string Id { get; set; }
    public required string CameraId { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    /// <summary>JSON [[x,y],...] normalised to the frame.</summary>
    public required string Points { get; set; }
    public long CreatedAtMs { get; set; }
}

public sealed class RuleRow
{
    public required string Id { get; set; }
    public required string CameraId { get; set; }
    public required string Name { get; set; }
    /// <summary>JSON array of zone names.</summary>
    public required string Zones { get; set; }
    public long MinDurationMs { get; set; }
    public double MinCoverage { get; set; }
    public bool WhenArmed { get; set; }
    public bool Enabled { get; set; }
}

public sealed class TimeProfileRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string TimeZone { get; set; }
    /// <summary>The compact text form ("mon-sat 22:00-07:00; sun all day"), parsed on load.</summary>
    public required string Windows { get; set; }
}

public sealed class ArmingRow
{
    public required string CameraId { get; set; }
    public required string Mode { get; set; }
    public string? ProfileId { get; set; }
    public long ChangedAtMs { get; set; }
    public required string ChangedBy { get; set; }
}

public sealed class LineRow : Stores.ICameraScopedRow
{
    public required string Id { get; set; }
    public required string CameraId { get; set; }
    public required string Name { get; set; }
    /// <summary>JSON [[ax, ay], [bx, by]] normalised to the frame.</summary>
    public required string Points { get; set; }
    /// <summary>JSON array of class names.</summary>
    public required string Classes { get; set; }
    public string? SpeedTo { get; set; }
    public double? DistanceMeters { get; set; }
    public long CreatedAtMs { get; set; }
}

public sealed class ObjectRuleRow : Stores.ICameraScopedRow
{
    public required string Id { get; set; }
    public required string CameraId { get; set; }
    public required string Name { get; set; }
    public required string Trigger { get; set; }
    public string? Zone { get; set; }
    public string? Line { get; set; }
    public string? Direction { get; set; }
    /// <summary>JSON array of class names.</summary>
    public required string Classes { get; set; }
    public double DwellSeconds { get; set; }
    public bool WhenArmed { get; set; }
    public bool Enabled { get; set; }
}

/// <summary>One minute of one line's crossings for one class and direction: the time series behind counts.</summary>
public sealed class LineCountRow
{
    public required string CameraId { get; set; }
    public required string Line { get; set; }
    public required string Class { get; set; }
    public required string Direction { get; set; }
    public long StartMs { get; set; }
    public int Count { get; set; }
}
