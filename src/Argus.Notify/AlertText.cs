using Argus.Core.Notifications;

namespace Argus.Notify;

/// <summary>Human wording of alerts for e-mail and SMS.</summary>
public sealed class AlertText(TimeZoneInfo zone)
{
    public static AlertText For(NotificationOptions options) =>
        new(options.TimeZone is { } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Local);

    public static string Title(AlertEvent e)
    {
        var title = e.Type switch
        {
            AlertTypes.Alarm => "Alarm",
            AlertTypes.Motion => "Motion",
            AlertTypes.Tamper => "Tamper",
            AlertTypes.Offline => "Camera offline",
            AlertTypes.Online => "Camera online",
            AlertTypes.Test => "Test",
            _ => e.Type,
        };
        return e.State == AlertStates.End ? title + " ended" : title;
    }

    public string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm:ss");

    private static string Camera(AlertEvent e) => e.CameraName ?? e.CameraId ?? "system";

    private static string Zones(AlertEvent e) => e.Zones.Count == 0 ? "" : " " + string.Join(", ", e.Zones);

    public string Subject(AlertEvent e) => $"[Argus] {Title(e)}: {Camera(e)}{Zones(e)} at {Local(e.StateTime ?? e.Start)}";

    public string Body(AlertEvent e)
    {
        var lines = new List<string>
        {
            $"{Title(e)} on {Camera(e)}{(e.CameraId is null ? "" : $" ({e.CameraId})")}",
            $"Started: {Local(e.Start)}",
        };
        if (e.End is { } end) lines.Add($"Ended: {Local(end)}");
        if (e.Zones.Count > 0) lines.Add($"Zones: {string.Join(", ", e.Zones)}");
        if (e.Rule is not null) lines.Add($"Rule: {e.Rule}");
        if (e.PeakArea is { } area) lines.Add($"Peak area: {area:P1}");
        if (e.Detail is not null) lines.Add($"Detail: {e.Detail}");
        if (e.SnapshotUrl is not null) lines.Add($"Snapshot: {e.SnapshotUrl}");
        if (e.ClipUrl is not null) lines.Add($"Clip: {e.ClipUrl}");
        lines.Add($"Event {e.Id} ({e.Type}, {e.State})");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>One SMS segment: at most 160 characters, ASCII (a non-GSM character would cut a segment to 70).</summary>
    public string Sms(AlertEvent e)
    {
        var text = $"Argus {Title(e)}: {Camera(e)}{Zones(e)} {Local(e.StateTime ?? e.Start)}";
        if (e.ClipUrl is not null && text.Length + 1 + e.ClipUrl.Length <= 160) text += " " + e.ClipUrl;
        return text.Length <= 160 ? text : text[..157] + "...";
    }
}
