namespace Argus.Core.Audit;

/// <summary>One attributed action: who, when, from where, what, on which camera, and whether it was allowed.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string User, string? Address, string Action, string? Camera, bool Allowed, string? Detail);

public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, string? User, string? Camera, string? Action, int Limit);

public interface IAuditLog
{
    /// <summary>Appends to the chain. Never throws for the caller's sake: a failure is logged and counted.</summary>
    Task AppendAsync(string user, string? address, string action, string? camera, bool allowed, string? detail = null, CancellationToken ct = default);
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default);
}

/// <summary>The actions written to the audit log.</summary>
public static class AuditActions
{
    public const string Login = "login";
    public const string Logout = "logout";
    public const string LiveStart = "live.start";
    public const string LiveStop = "live.stop";
    public const string Snapshot = "snapshot";
    public const string Playback = "playback";
    public const string Export = "export";
    public const string Search = "search";
    public const string CameraView = "camera.view";
    public const string CameraAdd = "camera.add";
    public const string CameraChange = "camera.change";
    public const string CameraRemove = "camera.remove";
    public const string LockAdd = "lock.add";
    public const string LockRemove = "lock.remove";
    public const string UserAdd = "user.add";
    public const string UserChange = "user.change";
    public const string UserRemove = "user.remove";
    public const string GrantChange = "grant.change";
    public const string AuditRead = "audit.read";
    public const string ZoneChange = "zone.change";
    public const string RuleChange = "rule.change";
    public const string ScheduleChange = "schedule.change";
    public const string Arm = "arming.change";
    public const string NotifyChange = "notify.change";
    public const string NotifyTest = "notify.test";
}
