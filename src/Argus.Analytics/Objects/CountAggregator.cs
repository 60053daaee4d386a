namespace Argus.Analytics.Objects;

/// <summary>Crossings of one line by one class in one direction during [Start, Start + Length).</summary>
public sealed record CountRow(DateTimeOffset Start, TimeSpan Length, string Line, string Class, LineDirection Direction, int Count);

/// <summary>
/// Accumulates crossings into 1-minute buckets aligned to UTC minutes. <see cref="Drain"/> hands out the closed ones
/// for storing. A crossing arriving late for a minute already drained opens that bucket again and comes out on the
/// next drain as a second row for the same key: the store must add, not overwrite. Not thread-safe.
/// </summary>
public sealed class CountAggregator
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly Dictionary<(long Minute, string Line, string Class, LineDirection Direction), int> _buckets = [];

    public void Add(LineCrossing crossing)
    {
        var key = (Floor(crossing.Time, Minute).UtcTicks, crossing.Line, crossing.Class, crossing.Direction);
        _buckets[key] = _buckets.GetValueOrDefault(key) + 1;
    }

    public void Add(IEnumerable<LineCrossing> crossings)
    {
        foreach (var c in crossings) Add(c);
    }

    /// <summary>Removes and returns the buckets whose minute ended at or before <paramref name="upTo"/>, oldest first.</summary>
    public IReadOnlyList<CountRow> Drain(DateTimeOffset upTo)
    {
        var rows = new List<CountRow>();
        foreach (var (k, n) in _buckets)
        {
            var start = new DateTimeOffset(k.Minute, TimeSpan.Zero);
            if (start + Minute <= upTo) rows.Add(new CountRow(start, Minute, k.Line, k.Class, k.Direction, n));
        }
        foreach (var r in rows) _buckets.Remove((r.Start.UtcTicks, r.Line, r.Class, r.Direction));
        rows.Sort(Compare);
        return rows;
    }

    /// <summary>The buckets not yet drained (the open minute), oldest first, without removing them.</summary>
    public IReadOnlyList<CountRow> Open()
    {
        var rows = _buckets.Select(kv => new CountRow(new DateTimeOffset(kv.Key.Minute, TimeSpan.Zero), Minute, kv.Key.Line, kv.Key.Class, kv.Key.Direction, kv.Value)).ToList();
        rows.Sort(Compare);
        return rows;
    }

    /// <summary>Crossings still in open (or not yet drained) buckets.</summary>
    public int Pending => _buckets.Values.Sum();

    /// <summary>
    /// Merges rows (e.g. stored 1-minute rows) into intervals of <paramref name="interval"/> aligned to UTC multiples
    /// of it: 15 minutes gives :00, :15, :30, :45. Rows longer than the interval are refused.
    /// </summary>
    /// <exception cref="ArgumentException">for an interval that does not divide a day, or rows longer than it.</exception>
    public static IReadOnlyList<CountRow> Merge(IEnumerable<CountRow> rows, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % interval.Ticks != 0) throw new ArgumentException("the interval must divide a day (e.g. 15 minutes).");
        var merged = new Dictionary<(long, string, string, LineDirection), int>();
        foreach (var r in rows)
        {
            if (r.Length > interval) throw new ArgumentException("rows are longer than the interval they are merged into.");
            var key = (Floor(r.Start, interval).UtcTicks, r.Line, r.Class, r.Direction);
            merged[key] = merged.GetValueOrDefault(key) + r.Count;
        }
        var result = merged.Select(kv => new CountRow(new DateTimeOffset(kv.Key.Item1, TimeSpan.Zero), interval, kv.Key.Item2, kv.Key.Item3, kv.Key.Item4, kv.Value)).ToList();
        result.Sort(Compare);
        return result;
    }

    public static DateTimeOffset Floor(DateTimeOffset t, TimeSpan step)
    {
        var ticks = t.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % step.Ticks), TimeSpan.Zero);
    }

    private static int Compare(CountRow a, CountRow b)
    {
        var c = a.Start.CompareTo(b.Start);
        if (c == 0) c = string.CompareOrdinal(a.Line, b.Line);
        if (c == 0) c = string.CompareOrdinal(a.Class, b.Class);
        return c != 0 ? c : a.Direction.CompareTo(b.Direction);
    }
}
