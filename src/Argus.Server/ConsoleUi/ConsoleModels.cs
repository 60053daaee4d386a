namespace Argus.Server.ConsoleUi;

/// <summary>What the console needs of a camera, from either shape /api/cameras returns (full for staff, shared for viewers).</summary>
public sealed record CameraSummary(string Id, string Name, string? Location, string Status, double Fps, double BitrateKbps, int Restarts,
    string? LastError, bool Paused, string? MainUrl, string? SubUrl, string? Transport, double? RetentionDays, IReadOnlyList<string>? Rights, bool? OpenNow)
{
    public bool May(string right) => Rights is null || Rights.Contains(right);
}

public sealed record RecordingSummary(long Id, DateTimeOffset Start, DateTimeOffset End, long Bytes);
public sealed record EventSummary(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail);
public sealed record LockSummary(long Id, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string CreatedBy, DateTimeOffset CreatedAt);
public sealed record AuditSummary(long Seq, DateTimeOffset At, string User, string? Address, string Action, string? Camera, bool Allowed, string? Detail);
