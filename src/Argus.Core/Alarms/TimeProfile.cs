using System.Text.RegularExpressions;
using Argus.Core.Security;

namespace Argus.Core.Alarms;

/// <summary>
/// A named set of weekly windows in one time zone, e.g. "Closed": mon-sat 22:00-07:00 and all day Sunday. Arming
/// schedules use it: the camera is armed while any window is open.
/// </summary>
public sealed partial record TimeProfile(string Id, string Name, TimeZoneInfo Zone, IReadOnlyList<AccessSchedule> Windows)
{
    public const int MaxWindows = 32;

    public bool IsActive(DateTimeOffset now) => Windows.Any(w => w.IsOpen(now));

    /// <summary>The compact text form, e.g. "mon-sat 22:00-07:00; sun 00:00-24:00".</summary>
    public string Text => string.Join("; ", Windows.Select(w => $"{string.Join(',', w.DayCodes)} {w.FromText}-{w.ToText}"));

    /// <summary>
    /// Parses "mon-sat 22:00-07:00; sun all day; fri 12:00-13:30": windows separated by ';', each a day list (names,
    /// ranges like mon-fri, or "daily") and a time range (HH:mm-HH:mm, or "all day").
    /// </summary>
    /// <exception cref="ArgumentException">naming the window that does not parse.</exception>
    public static IReadOnlyList<AccessSchedule> ParseWindows(string? text, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("schedule is empty: write windows like \"mon-sat 22:00-07:00; sun all day\".");
        var windows = new List<AccessSchedule>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = WindowPattern().Match(part);
            if (!m.Success)
                throw new ArgumentException($"schedule window '{part}' does not parse: write days then a time range, like \"mon-fri 22:00-07:00\" or \"sun all day\".");
            var days = ExpandDays(m.Groups["days"].Value, part);
            var allDay = m.Groups["allday"].Success;
            try
            {
                windows.Add(AccessSchedule.Parse(days, allDay ? "00:00" : Pad(m.Groups["from"].Value), allDay ? "24:00" : Pad(m.Groups["to"].Value), timeZone));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"schedule window '{part}': {e.Message.Replace("schedule.", "", StringComparison.Ordinal)}");
            }
        }
        if (windows.Count > MaxWindows) throw new ArgumentException($"a schedule may have at most {MaxWindows} windows.");
        return windows;
    }

    private static readonly string[] Week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private static List<string> ExpandDays(string text, string part)
    {
        var result = new List<string>();
        foreach (var token in text.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (token is "daily" or "every day")
            {
                result.AddRange(Week);
                continue;
            }
            var range = token.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length == 1) { result.Add(Short(range[0], part)); continue; }
            var a = Array.IndexOf(Week, Short(range[0], part));
            var b = Array.IndexOf(Week, Short(range[1], part));
            for (var i = a; ; i = (i + 1) % 7)
            {
                result.Add(Week[i]);
                if (i == b) break;
            }
        }
        return result;
    }

    private static string Short(string day, string part)
    {
        var d = day.Length >= 3 ? day[..3] : day;
        if (Array.IndexOf(Week, d) < 0) throw new ArgumentException($"schedule window '{part}': '{day}' is not a day (mon..sun).");
        return d;
    }

    [GeneratedRegex(@"^(?<days>[a-z]+(\s*-\s*[a-z]+)?(\s*,\s*[a-z]+(\s*-\s*[a-z]+)?)*|daily)\s+((?<from>\d{1,2}:\d{2})\s*-\s*(?<to>\d{1,2}:\d{2})|(?<allday>all\s+day))$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WindowPattern();

    private static string Pad(string hhmm) => hhmm.Length == 4 ? "0" + hhmm : hhmm;
}

public interface ITimeProfileStore
{
    Task<IReadOnlyList<TimeProfile>> ListAsync(CancellationToken ct = default);
    Task<TimeProfile?> GetAsync(string id, CancellationToken ct = default);
    Task AddAsync(TimeProfile profile, CancellationToken ct = default);
    Task<bool> UpdateAsync(TimeProfile profile, CancellationToken ct = default);
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
