using System.Globalization;

namespace Argus.Core.Security;

/// <summary>
/// A weekly window in a named time zone, e.g. school days 08:00-17:00 Asia/Shanghai. A window whose end is before
/// its start runs past midnight (22:00-07:00) and belongs to the day it starts on. "to" 24:00 means end of day.
/// </summary>
public sealed record AccessSchedule(IReadOnlySet<DayOfWeek> Days, TimeSpan From, TimeSpan To, TimeZoneInfo Zone)
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var time = local.TimeOfDay;
        if (From < To) return Days.Contains(local.DayOfWeek) && time >= From && time < To;
        // Overnight: the evening part counts for today, the morning part for yesterday.
        if (time >= From) return Days.Contains(local.DayOfWeek);
        return time < To && Days.Contains(local.AddDays(-1).DayOfWeek);
    }

    public IReadOnlyList<string> DayCodes => [.. Days.OrderBy(d => ((int)d + 6) % 7).Select(d => DayNames[(int)d])];
    public string FromText => Format(From);
    public string ToText => Format(To);

    private static string Format(TimeSpan t) => t == TimeSpan.FromHours(24) ? "24:00" : t.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static AccessSchedule Parse(IEnumerable<string>? days, string? from, string? to, string? timeZone)
    {
        var set = new HashSet<DayOfWeek>();
        foreach (var d in days ?? [])
        {
            var i = Array.IndexOf(DayNames, (d ?? "").Trim().ToLowerInvariant());
            if (i < 0) throw new ArgumentException($"schedule day '{d}' is not one of mon, tue, wed, thu, fri, sat, sun.");
            set.Add((DayOfWeek)i);
        }
        if (set.Count == 0) throw new ArgumentException("schedule.days must name at least one day.");
        var f = ParseTime(from, "from");
        var t = ParseTime(to, "to");
        if (f == t) throw new ArgumentException("schedule.from and schedule.to must differ.");
        if (f == TimeSpan.FromHours(24)) throw new ArgumentException("schedule.from must be before 24:00.");
        TimeZoneInfo zone;
        try { zone = string.IsNullOrWhiteSpace(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim()); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"schedule.timeZone '{timeZone}' is not a known IANA time zone (e.g. Europe/Paris).");
        }
        return new AccessSchedule(set, f, t, zone);
    }

    private static TimeSpan ParseTime(string? text, string field)
    {
        if (text is "24:00") return TimeSpan.FromHours(24);
        if (text is not null && TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out var t) && t < TimeSpan.FromHours(24)) return t;
        throw new ArgumentException($"schedule.{field} must be a time HH:mm (00:00 to 24:00).");
    }
}
