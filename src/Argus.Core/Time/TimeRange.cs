namespace Argus.Core.Time;

/// <summary>A half-open interval [Start, End).</summary>
public readonly record struct TimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Duration => End - Start;

    public bool Overlaps(TimeRange other) => Start < other.End && other.Start < End;

    /// <summary>Parses API query values; both must be ISO-8601 with an offset or Z.</summary>
    public static bool TryParse(string? from, string? to, out TimeRange range, out string? error)
    {
        range = default;
        error = null;
        if (!TryParseInstant(from, out var f)) { error = "'from' must be an ISO-8601 time with offset, e.g. 2026-01-01T00:00:00Z."; return false; }
        if (!TryParseInstant(to, out var t)) { error = "'to' must be an ISO-8601 time with offset, e.g. 2026-01-01T00:10:00Z."; return false; }
        if (t <= f) { error = "'to' must be after 'from'."; return false; }
        range = new TimeRange(f, t);
        return true;
    }

    /// <summary>Parses optional API bounds: each, when given, must be ISO-8601 with an offset or Z.</summary>
    public static bool TryParseBounds(string? from, string? to, out DateTimeOffset? start, out DateTimeOffset? end, out string? error)
    {
        start = end = null;
        error = null;
        if (from is not null) { if (!TryParseInstant(from, out var f)) { error = "'from' must be an ISO-8601 time."; return false; } start = f; }
        if (to is not null) { if (!TryParseInstant(to, out var t)) { error = "'to' must be an ISO-8601 time."; return false; } end = t; }
        return true;
    }

    public static bool TryParseInstant(string? s, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out value);
}
