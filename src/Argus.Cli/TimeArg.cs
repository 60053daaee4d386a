using System.Globalization;
using System.Text.RegularExpressions;

namespace Argus.Cli;

/// <summary>
/// A point in time given on the command line: <c>now</c>, <c>today</c>, <c>yesterday</c>, a relative time in the past
/// such as <c>-1h</c>, <c>-30m</c> or <c>-1d12h</c> (units w, d, h, m, s), or an ISO-8601 time. An ISO time without
/// an offset is taken as local time, since that is what a person at the console means.
/// </summary>
public static partial class TimeArg
{
    public const string Help = "ISO-8601 time (local unless it has Z or an offset), 'now', 'today', 'yesterday', or relative like -1h, -30m, -2d, -1h30m";

    [GeneratedRegex(@"^-(?:\d+[wdhms])+$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"(\d+)([wdhms])", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePart();

    public static DateTimeOffset Parse(string text, DateTimeOffset now, TimeZoneInfo? zone = null) =>
        TryParse(text, now, zone, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(string? text, DateTimeOffset now, TimeZoneInfo? zone, out DateTimeOffset value, out string? error)
    {
        zone ??= TimeZoneInfo.Local;
        value = default;
        error = null;
        var s = text?.Trim().ToLowerInvariant() ?? "";
        switch (s)
        {
            case "":
                error = "a time is required.";
                return false;
            case "now":
                value = now;
                return true;
            case "today":
            case "yesterday":
                var localNow = TimeZoneInfo.ConvertTime(now, zone);
                var midnight = localNow.Date.AddDays(s == "today" ? 0 : -1);
                value = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
                return true;
        }

        if (RelativePattern().IsMatch(s))
        {
            var ago = TimeSpan.Zero;
            try
            {
                foreach (Match m in RelativePart().Matches(s))
                {
                    var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    ago += m.Groups[2].Value switch
                    {
                        "w" => TimeSpan.FromDays(7 * n),
                        "d" => TimeSpan.FromDays(n),
                        "h" => TimeSpan.FromHours(n),
                        "m" => TimeSpan.FromMinutes(n),
                        _ => TimeSpan.FromSeconds(n),
                    };
                }
                value = now - ago;
                return true;
            }
            catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
            {
                error = $"'{text}' is too far in the past.";
                return false;
            }
        }

        if (Regex.IsMatch(s, @"^\+?\d+[wdhms]"))
        {
            error = $"'{text}' is not a time; for a time in the past write it with a minus, e.g. -{s.TrimStart('+')}.";
            return false;
        }

        // RoundtripKind tells whether the text carried a zone (Utc/Local) or not (Unspecified).
        if (!char.IsDigit(s[0]) ||
            !DateTime.TryParse(text!.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            error = $"'{text}' is not a time. Use {Help}.";
            return false;
        }
        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            if (zone.IsInvalidTime(parsed))
            {
                error = $"'{text}' does not exist in the local time zone (daylight saving change).";
                return false;
            }
            value = new DateTimeOffset(parsed, zone.GetUtcOffset(parsed));
        }
        else
            value = DateTimeOffset.Parse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return true;
    }

    /// <summary>The form sent to the server: UTC with a Z, which its ISO-8601 parser accepts.</summary>
    public static string ToQuery(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
