using System.Globalization;

namespace Argus.Cli;

/// <summary>How sizes, durations and times are shown in tables.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double v = bytes;
        var i = 0;
        while (Math.Abs(v) >= 1024 && i < units.Length - 1) { v /= 1024; i++; }
        return i == 0 ? $"{bytes} B" : v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", Invariant) + " " + units[i];
    }

    public static string Duration(TimeSpan d)
    {
        if (d < TimeSpan.Zero) return "-" + Duration(-d);
        if (d.TotalDays >= 1) return $"{(int)d.TotalDays}d {d.Hours:00}h {d.Minutes:00}m";
        if (d.TotalHours >= 1) return $"{d.Hours}h {d.Minutes:00}m {d.Seconds:00}s";
        if (d.TotalMinutes >= 1) return $"{d.Minutes}m {d.Seconds:00}s";
        return d.TotalSeconds.ToString(d.TotalSeconds >= 10 ? "0" : "0.#", Invariant) + "s";
    }

    /// <summary>Local time, to the second.</summary>
    public static string Time(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", Invariant);

    public static string Time(DateTimeOffset? t) => t is { } v ? Time(v) : "-";

    public static string Ago(DateTimeOffset? t, DateTimeOffset now) => t is { } v ? Duration(now - v) + " ago" : "never";

    public static string Number(double v, string format = "0.#") => v.ToString(format, Invariant);
}
