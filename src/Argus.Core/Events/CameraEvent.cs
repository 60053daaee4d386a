namespace Argus.Core.Events;

public static class EventTypes
{
    public const string CameraOffline = "camera.offline";
    public const string CameraOnline = "camera.online";
    public const string StorageLow = "storage.low";
    /// <summary>Argus itself was not running (stopped or crashed): a gap in every camera's recordings.</summary>
    public const string ServerDown = "server.down";
    /// <summary>Something moved (outside motion masks); one event from onset to a quiet period.</summary>
    public const string Motion = "motion";
    /// <summary>A rule fired (e.g. motion in a zone while armed).</summary>
    public const string Alarm = "alarm";
    /// <summary>The camera was covered, defocused or turned away.</summary>
    public const string Tamper = "camera.tamper";
}

public sealed record CameraEvent(long Id, string? CameraId, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail)
{
    /// <summary>Zones the event touched (motion, alarm).</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];
    /// <summary>Largest moving area seen during the event, as a fraction of the frame.</summary>
    public double? PeakArea { get; init; }
    /// <summary>The rule that raised an alarm.</summary>
    public string? Rule { get; init; }
    public bool HasSnapshot { get; init; }
}
