using Argus.Analytics.Objects;
using Argus.Core.Geometry;

namespace Argus.Analytics.Tests.Objects;

public class CountAggregatorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static LineCrossing C(DateTimeOffset t, string cls = "car", LineDirection d = LineDirection.Ab, string line = "gate") =>
        new(line, 1, cls, d, t, new NormPoint(0.5, 0.5));

    [Fact]
    public void Buckets_are_aligned_to_utc_minutes_and_only_closed_ones_drain()
    {
        var a = new CountAggregator();
        // A local-time offset must not shift the buckets: 13:00:59+01:00 is 12:00:59 UTC.
        a.Add(C(new DateTimeOffset(2026, 3, 1, 13, 0, 59, TimeSpan.FromHours(1))));
        a.Add(C(Noon.AddSeconds(1)));
        a.Add(C(Noon.AddSeconds(30), "truck"));
        a.Add(C(Noon.AddSeconds(40), d: LineDirection.Ba));
        a.Add(C(Noon.AddSeconds(61)));

        Assert.Empty(a.Drain(Noon.AddSeconds(59.9)));
        var rows = a.Drain(Noon.AddSeconds(60));
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(Noon, r.Start));
        Assert.All(rows, r => Assert.Equal(TimeSpan.Zero, r.Start.Offset));
        Assert.Equal(2, rows.Single(r => r.Class == "car" && r.Direction == LineDirection.Ab).Count);
        Assert.Equal(1, rows.Single(r => r.Class == "truck").Count);
        Assert.Equal(1, rows.Single(r => r.Direction == LineDirection.Ba).Count);
        Assert.Equal(1, a.Pending); // 12:01 is still open
        Assert.Empty(a.Drain(Noon.AddSeconds(60)));
        Assert.Equal(Noon.AddMinutes(1), Assert.Single(a.Drain(Noon.AddMinutes(5))).Start);
    }

    [Fact]
    public void Minute_rows_merge_into_quarter_hours_aligned_to_the_clock()
    {
        var rows = new List<CountRow>();
        for (var m = 0; m < 40; m++)
            rows.Add(new CountRow(Noon.AddMinutes(-7 + m), CountAggregator.Minute, "gate", "car", LineDirection.Ab, 1));
        rows.Add(new CountRow(Noon.AddMinutes(3), CountAggregator.Minute, "gate", "car", LineDirection.Ba, 5));
        var merged = CountAggregator.Merge(rows, TimeSpan.FromMinutes(15));
        // 11:53..12:32 -> 11:45 (7 rows), 12:00 (15), 12:15 (15), 12:30 (3); plus the "ba" row.
        Assert.Equal(
            [(Noon.AddMinutes(-15), 7), (Noon, 15), (Noon.AddMinutes(15), 15), (Noon.AddMinutes(30), 3)],
            merged.Where(r => r.Direction == LineDirection.Ab).Select(r => (r.Start, r.Count)));
        Assert.Equal(5, merged.Single(r => r.Direction == LineDirection.Ba).Count);
        Assert.All(merged, r => Assert.Equal(TimeSpan.FromMinutes(15), r.Length));
        Assert.Throws<ArgumentException>(() => CountAggregator.Merge(rows, TimeSpan.FromMinutes(7)));
    }
}
