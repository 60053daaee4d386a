using System.Text.Json;
using System.Text.Json.Serialization;

namespace Argus.Core.Notifications;

/// <summary>
/// What notifiers deliver: one state (new, update, end) of an event. Its JSON (<see cref="AlertJson"/>) is the
/// webhook body and the MQTT <c>argus/events</c> payload.
/// </summary>
public sealed record AlertEvent(
    long Id,
    string Type,
    string State,
    string? CameraId,
    string? CameraName,
    DateTimeOffset Start,
    DateTimeOffset? End,
    IReadOnlyList<string> Zones,
    double? PeakArea = null,
    string? Rule = null,
    string? Detail = null,
    [property: JsonIgnore] string? SnapshotPath = null,
    string? SnapshotUrl = null,
    string? ClipUrl = null)
{
    /// <summary>The moment this state happened: the start for new, the end for end, otherwise null (use the queue time).</summary>
    [JsonIgnore]
    public DateTimeOffset? StateTime => State switch
    {
        AlertStates.New => Start,
        AlertStates.End => End ?? Start,
        _ => null,
    };
}

public static class AlertStates
{
    public const string New = "new";
    public const string Update = "update";
    public const string End = "end";

    public static bool IsValid(string? s) => s is New or Update or End;
}

public static class AlertTypes
{
    public const string Motion = "motion";
    public const string Alarm = "alarm";
    public const string Tamper = "camera.tamper";
    public const string Offline = "camera.offline";
    public const string Online = "camera.online";
    public const string Test = "test";
}

/// <summary>The one JSON shape of alerts: camelCase, ISO-8601 times, nulls kept (receivers see every field).</summary>
public static class AlertJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize(AlertEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, Options);
}
