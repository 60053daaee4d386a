namespace Argus.Data.Entities;

// Times are stored as Unix milliseconds (UTC): SQLite cannot order or compare DateTimeOffset columns.

public sealed class CameraRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string MainUrl { get; set; }
    /// <summary>Encrypted JSON {user,password}, or null.</summary>
    public string? MainCredentials { get; set; }
    public string? SubUrl { get; set; }
    public string? SubCredentials { get; set; }
    public string Transport { get; set; } = "tcp";
    public string? Location { get; set; }
    public string? Description { get; set; }
    public bool Paused { get; set; }
    public long? RetentionSeconds { get; set; }
    public long CreatedAtMs { get; set; }
    /// <summary>JSON AnalysisSettings; null for the defaults. Columns added after the first release are nullable (see Database).</summary>
    public string? Analysis { get; set; }
    public bool? PrivacyCritical { get; set; }
}

public sealed class SegmentRow
{
    public long Id { get; set; }
    public required string CameraId { get; set; }
    public long StartMs { get; set; }
    public long EndMs { get; set; }
    public long Bytes { get; set; }
    public required string Path { get; set; }
}

public sealed class EventRow
{
    public long Id { get; set; }
    public string? CameraId { get; set; }
    public required string Type { get; set; }
    public long StartMs { get; set; }
    public long? EndMs { get; set; }
    public string? Detail { get; set; }
    /// <summary>Zone names as ",a,b," so that one zone can be matched with LIKE.</summary>
    public string? Zones { get; set; }
    public double? PeakArea { get; set; }
    public string? Rule { get; set; }
    public bool? Snapshot { get; set; }
    /// <summary>Object events: class, track id, counting line, measured speed and best detection score.</summary>
    public string? Class { get; set; }
    public long? Track { get; set; }
    public string? Line { get; set; }
    public string? Direction { get; set; }
    public double? SpeedKmh { get; set; }
    public double? Score { get; set; }
}

public sealed class EvidenceLockRow
{
    public long Id { get; set; }
    public required string CameraId { get; set; }
    public long FromMs { get; set; }
    public long ToMs { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAtMs { get; set; }
}

public sealed class UserRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public long CreatedAtMs { get; set; }
}

public sealed class TokenRow
{
    /// <summary>SHA-256 of the bearer token: a stolen database yields no usable tokens.</summary>
    public required string Hash { get; set; }
    public required string UserId { get; set; }
    public long CreatedAtMs { get; set; }
    public long ExpiresAtMs { get; set; }
}

public sealed class GrantRow
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string CameraId { get; set; }
    /// <summary>CameraRights flags.</summary>
    public int Rights { get; set; }
    /// <summary>JSON {days,from,to,timeZone}, or null for always.</summary>
    public string? Schedule { get; set; }
}

/// <summary>Append-only and hash-chained (see AuditChain); Seq has no gaps, so a removed row is detected.</summary>
public sealed class AuditRow
{
    public long Seq { get; set; }
    public long AtMs { get; set; }
    public required string User { get; set; }
    public string? Address { get; set; }
    public required string Action { get; set; }
    public string? Camera { get; set; }
    public bool Allowed { get; set; }
    public string? Detail { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

public sealed class ViewRow
{
    public required string UserId { get; set; }
    public required string Json { get; set; }
}
