using Argus.Analytics.Objects;
using Argus.Core.Geometry;
using Argus.Core.Objects;
using static Argus.Analytics.Tests.Objects.Scene;

namespace Argus.Analytics.Tests.Objects;

public class SpeedMeterTests
{
    private static LineCrossing Crossing(string line, long id, double seconds) =>
        new(line, id, "car", LineDirection.Ab, T0.AddSeconds(seconds), new NormPoint(0.5, 0.5));

    [Fact]
    public void Two_lines_20_m_apart_crossed_1_2_s_apart_is_60_kmh_in_either_order()
    {
        var m = SpeedMeter.BetweenLines("l1", "l2", 20);
        Assert.Empty(m.Update(Frame(1), [Crossing("l1", 1, 0.93)]));
        var r = Assert.Single(m.Update(Frame(2.2), [Crossing("l2", 1, 2.13)]));
        Assert.Equal(60, r.Kmh, 3);
        Assert.Equal(1, r.TrackId);
        Assert.Equal(60, m.SpeedOf(1)!.Value, 3);

        Assert.Empty(m.Update(Frame(3), [Crossing("l2", 2, 3.0)]));
        Assert.Equal(60, Assert.Single(m.Update(Frame(4.2), [Crossing("l1", 2, 4.2)])).Kmh, 3);
    }

    [Fact]
    public void Both_lines_between_the_same_two_frames_still_pair_by_interpolated_time()
    {
        var m = SpeedMeter.BetweenLines("l1", "l2", 5);
        // Listed out of order; 0.3 s apart -> 60 km/h.
        var r = Assert.Single(m.Update(Frame(1), [Crossing("l2", 4, 0.9), Crossing("l1", 4, 0.6)]));
        Assert.Equal(60, r.Kmh, 3);
    }

    [Fact]
    public void Absurd_speeds_are_unmeasured()
    {
        var m = SpeedMeter.BetweenLines("l1", "l2", 20);
        m.Update(Frame(1), [Crossing("l1", 1, 1.0)]);
        Assert.Empty(m.Update(Frame(1.2), [Crossing("l2", 1, 1.1)])); // 720 km/h
        Assert.Null(m.SpeedOf(1));
        Assert.Throws<ArgumentException>(() => SpeedMeter.BetweenLines("a", "a", 10));
        Assert.Throws<ArgumentException>(() => SpeedMeter.BetweenLines("a", "b", 0));
    }

    [Fact]
    public void A_homography_gives_the_ground_speed_of_a_track_moving_across_a_perspective_view()
    {
        // A 10 m wide, 40 m long stretch of road seen in perspective.
        NormPoint[] img = [new(0.4, 0.3), new(0.6, 0.3), new(0.9, 0.9), new(0.1, 0.9)];
        (double, double)[] ground = [(0, 40), (10, 40), (10, 0), (0, 0)];
        var h = Homography.FromPoints(img, ground);
        // The inverse map (ground -> image) places the car: it drives at 36 km/h = 10 m/s up the road along x = 5 m.
        var inverse = Homography.FromPoints([.. ground.Select(g => new NormPoint(g.Item1, g.Item2))], [.. img.Select(p => (p.X, p.Y))]);
        NormPoint ImageOf(double gx, double gy)
        {
            var (x, y) = inverse.Apply(new NormPoint(gx, gy));
            return new NormPoint(x, y);
        }
        var m = SpeedMeter.OnGround(h);
        var rng = new Random(3);
        SpeedReading? reading = null;
        for (var i = 0; i <= 15; i++)
        {
            var s = (i * 0.2) + (rng.NextDouble() * 0.04); // irregular frames
            var foot = ImageOf(5, 5 + (10 * s));
            var obj = new TrackedObject(9, "car", new NormBox(foot.X - 0.03, foot.Y - 0.04, 0.06, 0.04), 0.9, true, false);
            var crossings = i == 12 ? new[] { new LineCrossing("gate", 9, "car", LineDirection.Ba, T0.AddSeconds(s), foot) } : [];
            var r = m.Update(new ObjectFrame(T0.AddSeconds(s), [obj], []), crossings);
            if (r.Count > 0) reading = r[0];
            if (i >= 5) Assert.Equal(36, m.SpeedOf(9)!.Value, 1);
        }
        Assert.NotNull(reading);
        Assert.Equal(36, reading.Kmh, 1);
        Assert.Equal("gate", reading.Crossing!.Line);
    }

    [Fact]
    public void Ground_speed_needs_a_window_of_samples_and_ignores_coasting_frames()
    {
        var h = Homography.FromPoints([new(0, 0), new(1, 0), new(1, 1), new(0, 1)], [(0, 0), (100, 0), (100, 100), (0, 100)]);
        var m = SpeedMeter.OnGround(h);
        m.Update(Frame(0, At(1, 0.1, 0.5)), []);
        m.Update(Frame(0.2, At(1, 0.12, 0.5)), []);
        Assert.Null(m.SpeedOf(1));
        // A coasting (predicted) position far away is not a measurement.
        m.Update(Frame(0.4, At(1, 0.9, 0.5, seen: false)), []);
        m.Update(Frame(0.6, At(1, 0.16, 0.5)), []);
        Assert.Equal(36, m.SpeedOf(1)!.Value, 6); // 0.1 frame/s = 10 m/s
        m.Update(Ended(1, 1), []);
        Assert.Null(m.SpeedOf(1));
    }
}
