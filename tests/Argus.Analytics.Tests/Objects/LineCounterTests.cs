using Argus.Analytics.Objects;
using Argus.Core.Geometry;
using Argus.Core.Objects;
using static Argus.Analytics.Tests.Objects.Scene;

namespace Argus.Analytics.Tests.Objects;

public class LineCounterTests
{
    // Horizontal line across the middle, A left, B right: "ab" is downwards on screen.
    private static LineCounter Horizontal(params string[] classes) =>
        new(new CountingLine("gate", new NormPoint(0.2, 0.5), new NormPoint(0.8, 0.5), classes));

    private static List<LineCrossing> Run(LineCounter c, IEnumerable<ObjectFrame> frames) => [.. frames.SelectMany(f => c.Update(f).ToList())];

    private static IEnumerable<ObjectFrame> Path(long id, double x0, double y0, double x1, double y1, int steps, double dt = 0.2, string cls = "car")
    {
        for (var i = 0; i <= steps; i++)
        {
            var f = (double)i / steps;
            yield return Frame(i * dt, At(id, x0 + ((x1 - x0) * f), y0 + ((y1 - y0) * f), cls));
        }
    }

    [Fact]
    public void Crossing_down_is_ab_and_up_is_ba_each_counted_once()
    {
        var down = Run(Horizontal(), Path(1, 0.5, 0.3, 0.5, 0.7, 10));
        var c = Assert.Single(down);
        Assert.Equal(LineDirection.Ab, c.Direction);
        Assert.Equal("ab", c.Direction.ToWire());
        Assert.Equal(1, c.TrackId);
        Assert.Equal(0.5, c.Point.Y, 9);

        var up = Run(Horizontal(), Path(2, 0.4, 0.8, 0.4, 0.2, 12));
        Assert.Equal(LineDirection.Ba, Assert.Single(up).Direction);
    }

    [Fact]
    public void A_crossing_outside_the_segment_is_not_counted()
    {
        Assert.Empty(Run(Horizontal(), Path(1, 0.9, 0.3, 0.9, 0.7, 10)));
        Assert.Empty(Run(Horizontal(), Path(1, 0.1, 0.3, 0.15, 0.7, 10)));
    }

    [Fact]
    public void Jitter_around_the_line_is_not_counted_twice()
    {
        var c = Horizontal();
        // Approach, cross, then hover on the line with +-0.004 noise (inside the dead band) and +-0.01 excursions
        // within the cooldown, then leave downwards.
        double[] ys = [0.4, 0.45, 0.49, 0.503, 0.497, 0.502, 0.51, 0.495, 0.498, 0.503, 0.499, 0.52, 0.56, 0.6];
        var crossings = Run(c, ys.Select((y, i) => Frame(i * 0.1, At(7, 0.5, y))));
        var only = Assert.Single(crossings);
        Assert.Equal(LineDirection.Ab, only.Direction);
    }

    [Fact]
    public void A_real_return_trip_later_counts_again()
    {
        var c = Horizontal();
        var frames = Path(3, 0.5, 0.4, 0.5, 0.6, 5).Concat(Path(3, 0.5, 0.6, 0.5, 0.4, 5).Select(f => f with { Time = f.Time.AddSeconds(5) }));
        var crossings = Run(c, frames);
        Assert.Equal([LineDirection.Ab, LineDirection.Ba], crossings.Select(x => x.Direction));
    }

    [Fact]
    public void A_diagonal_line_counts_by_the_side_of_its_normal()
    {
        // A (0.2, 0.2) -> B (0.8, 0.8): normal (-0.6, 0.6) points down-left.
        var c = new LineCounter(new CountingLine("diag", new NormPoint(0.2, 0.2), new NormPoint(0.8, 0.8), []));
        var toLowerLeft = Run(c, Path(1, 0.7, 0.3, 0.3, 0.7, 8));
        Assert.Equal(LineDirection.Ab, Assert.Single(toLowerLeft).Direction);
        Assert.Equal(0.5, toLowerLeft[0].Point.X, 6);
        Assert.Equal(0.5, toLowerLeft[0].Point.Y, 6);
        var back = Run(c, Path(2, 0.35, 0.65, 0.65, 0.35, 6));
        Assert.Equal(LineDirection.Ba, Assert.Single(back).Direction);
        // Beyond B along the diagonal: outside the segment.
        Assert.Empty(Run(c, Path(3, 0.95, 0.85, 0.85, 0.95, 6)));
    }

    [Fact]
    public void The_crossing_time_is_interpolated_between_frames()
    {
        var c = Horizontal();
        Assert.Empty(c.Update(Frame(10.0, At(1, 0.5, 0.42))));
        // From 0.42 to 0.52 in 0.4 s: the line (0.5) is met 80 % of the way, at 10.32 s.
        var x = Assert.Single(c.Update(Frame(10.4, At(1, 0.5, 0.52))));
        Assert.Equal(T0.AddSeconds(10.32), x.Time);
        Assert.Equal(0.5, x.Point.Y, 9);
    }

    [Fact]
    public void Only_the_lines_classes_are_counted_and_ended_tracks_are_forgotten()
    {
        var c = Horizontal("car", "truck");
        Assert.Empty(Run(c, Path(1, 0.5, 0.3, 0.5, 0.7, 10, cls: "person")));
        Assert.Single(Run(c, Path(2, 0.5, 0.3, 0.5, 0.7, 10, cls: "truck")));
        c.Update(Ended(3, 2));
        // The same id reappearing (new tracker instance) starts fresh: first frame only sets its side.
        Assert.Empty(c.Update(Frame(4, At(2, 0.5, 0.3))));
    }

    [Fact]
    public void A_standing_object_whose_box_steps_over_the_line_and_back_is_not_counted()
    {
        var c = Horizontal();
        var still = (double y, double t) => Frame(t, At(7, 0.5, y) with { Stationary = true });
        // A person standing just above the line turns: the box's bottom dips below it for a frame, then comes back.
        var crossings = Run(c, [still(0.48, 0), still(0.48, 0.2), still(0.53, 0.4), still(0.47, 0.6), Frame(0.8, At(7, 0.6, 0.47))]);
        Assert.Empty(crossings);
    }

    [Fact]
    public void A_crossing_made_while_standing_counts_once_the_object_moves_on_with_its_own_time()
    {
        var c = Horizontal();
        // A car stopped with its wheels on the line creeps over it, then drives off: one count, at the creep.
        var frames = new[]
        {
            Frame(0, At(8, 0.5, 0.49) with { Stationary = true }),
            Frame(0.2, At(8, 0.5, 0.495) with { Stationary = true }),
            Frame(0.4, At(8, 0.5, 0.51) with { Stationary = true }),
            Frame(0.6, At(8, 0.5, 0.52) with { Stationary = true }),
            Frame(0.8, At(8, 0.5, 0.6)),
            Frame(1.0, At(8, 0.5, 0.7)),
        };
        var crossing = Assert.Single(Run(c, frames));
        Assert.Equal(LineDirection.Ab, crossing.Direction);
        Assert.InRange((crossing.Time - T0).TotalSeconds, 0.2, 0.4);
    }
}
