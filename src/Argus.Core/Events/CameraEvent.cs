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
    /// <summary>A tracked object entered a zone named by an object rule.</summary>
    public const string ObjectEnter = "object.enter";
    /// <summary>A tracked object left that zone (or was lost inside it).</summary>
    public const string ObjectLeave = "object.leave";
    /// <summary>A tracked object stayed in a zone for a rule's time (loitering, a vehicle stopped where it may not).</summary>
    public const string ObjectDwell = "object.dwell";
    /// <summary>A tracked object crossed a counting line.</summary>
    public const string LineCross = "line.cross";

    public static readonly IReadOnlyList<string> Objects = [ObjectEnter, ObjectLeave, ObjectDwell, LineCross];
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
    /// <summary>Object events: the object's class, its track id, the line crossed, speed where measured and its best detection score.</summary>
    public string? ObjectClass { get; init; }
    public long? TrackId { get; init; }
    public string? Line { get; init; }
    /// <summary>line.cross: "ab" or "ba".</summary>
    public string? Direction { get; init; }
    public double? SpeedKmh { get; init; }
    public double? Score { get; init; }
}
