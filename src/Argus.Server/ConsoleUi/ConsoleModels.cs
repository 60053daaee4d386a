namespace Argus.Server.ConsoleUi;

/// <summary>What the console needs of a camera, from either shape /api/cameras returns (full for staff, shared for viewers).</summary>
public sealed record CameraSummary(string Id, string Name, string? Location, string Status, double Fps, double BitrateKbps, int Restarts,
    string? LastError, bool Paused, string? MainUrl, string? SubUrl, string? Transport, double? RetentionDays, IReadOnlyList<string>? Rights, bool? OpenNow,
    AnalysisStatusSummary? AnalysisStatus = null)
{
    public bool May(string right) => Rights is null || Rights.Contains(right);
}

public sealed record AnalysisStatusSummary(string Status, long Frames, DateTimeOffset? LastFrameAt, int Restarts, string? LastError);

public sealed record RecordingSummary(long Id, DateTimeOffset Start, DateTimeOffset End, long Bytes);
public sealed record EventSummary(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail,
    IReadOnlyList<string>? Zones = null, double? PeakArea = null, string? Rule = null, string? SnapshotUrl = null, string? ClipUrl = null)
{
    public double? SpeedKmh { get; init; }
    public long? Track { get; init; }

    public string Describe() => string.Join(" · ", new[] { Rule, Zones is { Count: > 0 } z ? string.Join(", ", z) : null, Detail,
        Track is { } t ? $"track {t}" : null, SpeedKmh is { } v ? $"{v:0} km/h" : null }.Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>An event pushed by /hubs/events: state new, update or end.</summary>
public sealed record EventPush(string State, EventSummary Event);

public sealed record ZoneSummary(string Id, string Name, string Kind, double[][] Points);
public sealed record ScheduleSummary(string Id, string Name, string TimeZone, string Windows, bool ActiveNow);
public sealed record ArmingSummary(string Camera, string Mode, string? Schedule, bool Armed, DateTimeOffset ChangedAt, string ChangedBy);
public sealed record RuleSummary(string Id, string Name, string Camera, IReadOnlyList<string> Zones, double MinSeconds, double MinCoverage, bool WhenArmed, bool Enabled);
public sealed record LockSummary(long Id, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string CreatedBy, DateTimeOffset CreatedAt);
public sealed record AuditSummary(long Seq, DateTimeOffset At, string User, string? Address, string Action, string? Camera, bool Allowed, string? Detail);

public sealed record TargetSummary(string Id, string Kind, string Name, string[] Events, string[] Cameras, string[] Rules, int MaxPerMinute,
    double DedupSeconds, bool Enabled, string? Url, bool? HasSecret, string[]? To, DateTimeOffset CreatedAt);
public sealed record DeliverySummary(long Id, string Target, string TargetName, string Kind, long EventId, string EventType, string State,
    DateTimeOffset Queued, DateTimeOffset? Sent, int Attempts, string Status, string? Error, double? LatencyMs);

public sealed record LineSummary(string Id, string Name, double[][] Points, IReadOnlyList<string> Classes);
public sealed record CountSummary(DateTimeOffset Start, DateTimeOffset End, string Line, string Class, string Direction, int Count);

public sealed record TrackedSummary(long Track, string Class, double Score, double[] Box, bool Seen, bool Stationary);
public sealed record ObjectsNow(DateTimeOffset? Time, IReadOnlyList<TrackedSummary> Objects, IReadOnlyList<LineSummary> Lines);
