using Argus.Core.Geometry;
using Argus.Vision.Motion;

namespace Argus.Vision.Tests;

/// <summary>Detector mechanics on frames taken from a real clip with a synthetic dark square moved across them.</summary>
public sealed class MotionDetectorTests
{
    private const int W = 640, H = 360;
    private static readonly DateTimeOffset T0 = ClipRun.Epoch;
    private static readonly byte[] Room = RoomFrame();

    private static byte[] RoomFrame()
    {
        var path = Path.Combine(Path.GetTempPath(), $"argus-vision-room-{Guid.NewGuid():N}.gray");
        Media.Tests.Fixtures.Ffmpeg("-ss", "2", "-i", Media.Tests.Fixtures.Asset("videos/intel_one-by-one-person-detection.mp4"), "-frames:v", "1",
            "-vf", $"scale={W}:{H}", "-pix_fmt", "gray", "-f", "rawvideo", path);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    /// <summary>The room with a 60 x 120 block (a person) whose left edge is at x, in strong contrast to what it hides.</summary>
    private static byte[] WithBlock(int x, int y = 150)
    {
        var f = (byte[])Room.Clone();
        for (var r = y; r < y + 120; r++)
            for (var c = x; c < x + 60; c++) f[(r * W) + c] = (byte)(f[(r * W) + c] > 128 ? 20 : 235);
        return f;
    }

    private static MotionResult Warm(MotionDetector d)
    {
        MotionResult r = null!;
        for (var i = 0; i < 10; i++) r = d.Process(Room, T0.AddSeconds(i * 0.2));
        return r;
    }

    [Fact]
    public void A_moving_object_is_found_where_it_is()
    {
        var d = new MotionDetector(W, H, new MotionSettings());
        Assert.False(Warm(d).Motion);
        var r = d.Process(WithBlock(300), T0.AddSeconds(2));
        Assert.True(r.Motion);
        var region = Assert.Single(r.Regions);
        Assert.InRange(region.X, 300.0 / W - 0.02, 300.0 / W + 0.02);
        Assert.InRange(region.Y, 150.0 / H - 0.03, 150.0 / H + 0.03);
        Assert.InRange(region.Area, 0.8 * 60 * 120 / (W * H), 1.2 * 60 * 120 / (W * H));
        Assert.Equal(region.Area, r.ChangedFraction, 3);
    }

    [Fact]
    public void Masked_motion_is_ignored_and_zones_measure_coverage()
    {
        var d = new MotionDetector(W, H, new MotionSettings());
        var left = Polygon.Create([new(0, 0), new(0.4, 0), new(0.4, 1), new(0, 1)]);
        var right = Polygon.Create([new(0.5, 0), new(1, 0), new(1, 1), new(0.5, 1)]);
        d.SetMasks([left]);
        var zone = d.CreateZoneMeter(right);
        Warm(d);
        var inMask = d.Process(WithBlock(100), T0.AddSeconds(2));
        Assert.False(inMask.Motion);
        Assert.Equal(0, zone.Coverage(inMask));
        var inZone = d.Process(WithBlock(400), T0.AddSeconds(2.2));
        Assert.True(inZone.Motion);
        // The block covers 60 x 120 of the zone's 320 x 360.
        Assert.InRange(zone.Coverage(inZone), 0.8 * 60 * 120 / (320.0 * 360), 1.2 * 60 * 120 / (320.0 * 360));
        Assert.Throws<ArgumentException>(() => zone.Coverage(new MotionDetector(W, H, new MotionSettings()).Process(Room, T0)));
    }

    [Fact]
    public void Regions_below_the_minimum_area_do_not_count()
    {
        var small = new MotionDetector(W, H, new MotionSettings { MinArea = 0.05 });
        Warm(small);
        Assert.False(small.Process(WithBlock(300), T0.AddSeconds(2)).Motion);
    }

    [Fact]
    public void A_sudden_change_of_the_whole_picture_is_lighting_not_motion()
    {
        var d = new MotionDetector(W, H, new MotionSettings());
        Warm(d);
        // Two lights: the left half much brighter, the right half darker; no single gain and offset explains it.
        var lit = Room.Select((b, i) => (byte)(i % W < W / 2 ? Math.Min(255, b + 90) : Math.Max(0, b - 90))).ToArray();
        var r = d.Process(lit, T0.AddSeconds(2));
        Assert.True(r.LightingChange);
        Assert.False(r.Motion);
        Assert.False(d.Process(lit, T0.AddSeconds(2.2)).Motion);
    }

    [Fact]
    public void Processing_a_frame_allocates_nothing()
    {
        var d = new MotionDetector(W, H, new MotionSettings());
        d.CreateZoneMeter(Polygon.Create([new(0, 0), new(1, 0), new(1, 1)]));
        Warm(d);
        var a = WithBlock(200);
        var b = WithBlock(260);
        d.Process(a, T0.AddSeconds(3));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) d.Process(i % 2 == 0 ? b : a, T0.AddSeconds(4 + (i * 0.2)));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0, 0.002, "sensitivity")]
    [InlineData(101, 0.002, "sensitivity")]
    [InlineData(60, 0, "minimum area")]
    [InlineData(60, double.NaN, "minimum area")]
    public void Invalid_settings_are_refused_with_a_clear_message(int sensitivity, double minArea, string names)
    {
        var e = Assert.Throws<ArgumentException>(() => MotionSettings.Validate(new MotionSettings { Sensitivity = sensitivity, MinArea = minArea }));
        Assert.Contains(names, e.Message);
    }
}

public sealed class MotionEventTrackerTests
{
    private static readonly DateTimeOffset T0 = ClipRun.Epoch;

    [Fact]
    public void An_event_starts_after_the_minimum_duration_and_ends_after_the_quiet_time()
    {
        var t = new MotionEventTracker(TimeSpan.FromSeconds(0.6), TimeSpan.FromSeconds(5));
        var seen = new List<(double At, MotionTransition T)>();
        // 0.2 s frames: one glitch frame at 1 s, motion from 3 s to 6 s with one still frame at 4 s, then quiet.
        for (var i = 0; i < 80; i++)
        {
            var s = i * 0.2;
            var motion = Math.Abs(s - 1) < 0.01 || (s >= 3 && s <= 6 && Math.Abs(s - 4) > 0.01);
            var tr = t.Update(motion, motion ? 0.01 + (s / 100) : 0, T0.AddSeconds(s));
            if (tr.Kind != MotionTransitionKind.None) seen.Add((s, tr));
        }
        Assert.Equal(2, seen.Count);
        Assert.Equal(MotionTransitionKind.Started, seen[0].T.Kind);
        Assert.Equal(3.6, seen[0].At, 3);
        Assert.Equal(T0.AddSeconds(3), seen[0].T.Start);
        Assert.Equal(MotionTransitionKind.Ended, seen[1].T.Kind);
        Assert.Equal(11.0, seen[1].At, 3);
        Assert.Equal(T0.AddSeconds(6), seen[1].T.End);
        Assert.Equal(0.07, seen[1].T.PeakArea, 3);
        Assert.Equal(MotionTransitionKind.None, t.Finish().Kind);
    }
}
