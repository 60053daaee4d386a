using Argus.Core.Objects;
using Argus.Vision.Tracking;

namespace Argus.Vision.Tests.Tracking;

using Detection = Argus.Vision.Tracking.Detection;

public class ObjectTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static NormBox Box(double cx, double bottom, double w, double h) => new(cx - (w / 2), bottom - h, w, h);

    private static Detection Person(double cx, double bottom, double score = 0.9) => new("person", score, Box(cx, bottom, 0.05, 0.15));
    private static Detection Car(double cx, double bottom, double score = 0.9, string cls = "car") => new(cls, score, Box(cx, bottom, 0.16, 0.1));

    private static ObjectFrame Feed(ObjectTracker t, double seconds, params Detection[] d) => t.Update(T0.AddSeconds(seconds), d, ObservedRegion.Full);

    [Fact]
    public void Two_people_crossing_paths_keep_their_ids()
    {
        var t = new ObjectTracker();
        long? a = null, b = null;
        // A walks right, B walks left, a little lower; they overlap for several frames around x = 0.5.
        for (var i = 0; i <= 40; i++)
        {
            var s = i * 0.2;
            var f = Feed(t, s, Person(0.2 + (0.075 * s), 0.6), Person(0.8 - (0.075 * s), 0.62));
            Assert.Equal(2, f.Objects.Count);
            var left = f.Objects.MinBy(o => o.Box.Bottom);
            var lower = f.Objects.MaxBy(o => o.Box.Bottom);
            a ??= left.TrackId;
            b ??= lower.TrackId;
            Assert.Equal(a, left.TrackId);
            Assert.Equal(b, lower.TrackId);
            Assert.Empty(f.Ended);
        }
    }

    [Fact]
    public void Crossing_with_the_far_one_hidden_while_they_overlap_still_keeps_ids()
    {
        var t = new ObjectTracker();
        var ids = new Dictionary<string, long>();
        for (var i = 0; i <= 40; i++)
        {
            var s = i * 0.2;
            double xa = 0.2 + (0.075 * s), xb = 0.8 - (0.075 * s);
            var hidden = Math.Abs(xa - xb) < 0.06; // B is behind A: the detector sees only A
            var f = hidden ? Feed(t, s, Person(xa, 0.6)) : Feed(t, s, Person(xa, 0.6), Person(xb, 0.62));
            foreach (var o in f.Objects.Where(o => o.Seen))
            {
                var name = o.Box.Bottom < 0.61 ? "a" : "b";
                if (ids.TryGetValue(name, out var id)) Assert.Equal(id, o.TrackId);
                else ids[name] = o.TrackId;
            }
        }
        Assert.Equal(2, ids.Count);
        Assert.Equal(2, t.Tracks.Count);
    }

    [Fact]
    public void A_car_missed_for_a_second_is_found_again_by_its_prediction()
    {
        var t = new ObjectTracker();
        long id = 0;
        for (var i = 0; i <= 30; i++)
        {
            var s = i * 0.2;
            var x = 0.1 + (0.12 * s);
            var missing = s is > 2.1 and < 3.1;
            var f = missing ? Feed(t, s) : Feed(t, s, Car(x, 0.7));
            Assert.Single(f.Objects);
            if (i == 0) id = f.Objects[0].TrackId;
            Assert.Equal(id, f.Objects[0].TrackId);
            Assert.Equal(!missing, f.Objects[0].Seen);
            Assert.Empty(f.Ended);
        }
    }

    [Fact]
    public void A_fast_car_at_5_fps_is_confirmed_and_followed()
    {
        // One box width per frame: plain IoU with a still-unknown velocity is 0 on the second frame.
        var t = new ObjectTracker();
        Feed(t, 0); // first frame empty so confirmation needs two hits
        var ids = new HashSet<long>();
        for (var i = 1; i <= 5; i++)
        {
            var f = Feed(t, i * 0.2, Car(0.1 + (0.16 * (i - 1)), 0.7));
            foreach (var o in f.Objects) ids.Add(o.TrackId);
        }
        Assert.Single(ids);
        Assert.Single(t.Tracks);
    }

    [Fact]
    public void A_parked_car_outside_the_observed_crops_keeps_its_id_for_ten_minutes()
    {
        var t = new ObjectTracker();
        var car = Car(0.8, 0.9);
        var first = t.Update(T0, [car], ObservedRegion.Full);
        var id = Assert.Single(first.Objects).TrackId;
        var motion = ObservedRegion.Crops(new NormBox(0, 0, 0.4, 0.5)); // detection runs around motion far away
        var fullFrames = 0;
        for (var i = 1; i < 3000; i++)
        {
            var s = i * 0.2;
            var everyTen = i % 50 == 0;
            if (everyTen) fullFrames++;
            var f = everyTen
                ? t.Update(T0.AddSeconds(s), [Car(0.8 + 0.003, 0.9 - 0.002, 0.8)], ObservedRegion.Full)
                : t.Update(T0.AddSeconds(s), [Person(0.2, 0.3)], motion);
            var o = Assert.Single(f.Objects, x => x.Class == "car");
            Assert.Equal(id, o.TrackId);
            Assert.True(Math.Abs(o.Box.CenterX - 0.8) < 0.02, $"drifted to {o.Box.CenterX} at {s}");
            Assert.DoesNotContain(id, f.Ended);
        }
        Assert.Equal(59, fullFrames);
        Assert.Equal(60, t.Find(id)!.Hits);
    }

    [Fact]
    public void An_object_never_looked_at_is_not_lost_for_60_seconds_but_a_miss_where_detection_ran_is()
    {
        var t = new ObjectTracker();
        var id = Assert.Single(Feed(t, 0, Car(0.5, 0.5)).Objects).TrackId;
        for (var s = 0.2; s <= 60; s += 0.2)
        {
            var f = t.Update(T0.AddSeconds(s), [], ObservedRegion.None);
            Assert.Equal(id, Assert.Single(f.Objects).TrackId);
        }
        // Now looked for and absent: ends after about 2 s of misses, reported once.
        var endedAt = new List<double>();
        for (var s = 60.2; s <= 66; s += 0.2)
        {
            var f = t.Update(T0.AddSeconds(s), [], ObservedRegion.Full);
            if (f.Ended.Contains(id)) endedAt.Add(s);
        }
        var when = Assert.Single(endedAt);
        Assert.InRange(when, 61.7, 62.5); // 2 s after the last frame it was not looked for (float steps)
        Assert.Empty(t.Tracks);
    }

    [Fact]
    public void A_partly_covered_box_is_not_counted_as_missed()
    {
        var t = new ObjectTracker();
        var id = Assert.Single(Feed(t, 0, Car(0.5, 0.5)).Objects).TrackId;
        // The crop cuts the car in half: a miss there is not evidence it left.
        var crop = ObservedRegion.Crops(new NormBox(0, 0, 0.5, 1));
        for (var s = 0.2; s <= 10; s += 0.2) Assert.Equal(id, Assert.Single(t.Update(T0.AddSeconds(s), [], crop).Objects).TrackId);
    }

    [Fact]
    public void A_vehicle_flipping_car_and_truck_keeps_one_id_with_the_majority_class()
    {
        var t = new ObjectTracker();
        ObjectFrame f = null!;
        for (var i = 0; i < 20; i++)
        {
            var cls = i % 3 == 2 ? "truck" : "car";
            f = Feed(t, i * 0.2, Car(0.3 + (0.01 * i), 0.7, cls == "truck" ? 0.7 : 0.6, cls));
            Assert.Single(f.Objects);
        }
        var o = Assert.Single(f.Objects);
        Assert.Equal("car", o.Class); // 14 x 0.6 car against 6 x 0.7 truck
        Assert.Equal(0.7, t.Tracks[0].BestScore);
        Assert.Equal(20, t.Tracks[0].Hits);

        // Trucks dominate afterwards: the vote follows.
        for (var i = 20; i < 40; i++) f = Feed(t, i * 0.2, Car(0.3 + (0.01 * i), 0.7, 0.9, "truck"));
        Assert.Equal("truck", Assert.Single(f.Objects).Class);
    }

    [Fact]
    public void A_person_and_a_car_overlapping_are_never_merged()
    {
        var t = new ObjectTracker();
        for (var i = 0; i < 25; i++)
        {
            var s = i * 0.2;
            // The person walks into the car's box and stands in front of it.
            var px = Math.Min(0.5, 0.3 + (0.04 * s));
            var dets = i % 4 == 3 ? new[] { Person(px, 0.7) } : [Car(0.5, 0.72), Person(px, 0.7)];
            var f = Feed(t, s, dets);
            Assert.Equal(2, f.Objects.Count);
            Assert.Single(f.Objects, o => o.Class == "person");
            Assert.Single(f.Objects, o => o.Class == "car");
        }
        Assert.Equal(2, t.Tracks.Count);
    }

    [Fact]
    public void A_stopped_car_becomes_stationary_and_a_slow_walker_does_not()
    {
        var t = new ObjectTracker();
        var rng = new Random(5);
        double Jitter() => (rng.NextDouble() - 0.5) * 0.004;
        var carStationaryAt = -1.0;
        var walkerEverStationary = false;
        for (var i = 0; i <= 60; i++)
        {
            var s = i * 0.2;
            // Car drives for 3 s then stops; the walker moves 0.01 of the frame per second (a slow stroll far away).
            var carX = s < 3 ? 0.2 + (0.1 * s) : 0.5;
            var f = Feed(t, s, Car(carX + Jitter(), 0.8 + Jitter()), Person(0.1 + (0.01 * s) + Jitter(), 0.4 + Jitter()));
            var car = f.Objects.Single(o => o.Class == "car");
            var walker = f.Objects.Single(o => o.Class == "person");
            if (car.Stationary && carStationaryAt < 0) carStationaryAt = s;
            if (s < 3) Assert.False(car.Stationary);
            walkerEverStationary |= walker.Stationary;
        }
        Assert.InRange(carStationaryAt, 5.5, 7.5);
        Assert.False(walkerEverStationary);
        // Driving off again clears it.
        var last = Feed(t, 12.2, Car(0.56, 0.8));
        last = Feed(t, 12.4, Car(0.62, 0.8));
        Assert.False(last.Objects.Single(o => o.Class == "car").Stationary);
    }

    [Fact]
    public void Ended_ids_are_reported_exactly_once_and_tentative_tracks_never()
    {
        var t = new ObjectTracker();
        Feed(t, 0, Car(0.3, 0.5));
        Feed(t, 0.2, Car(0.3, 0.5), Person(0.8, 0.9)); // a one-frame false positive: tentative, dropped silently
        var ended = new List<long>();
        for (var s = 0.4; s < 8; s += 0.2) ended.AddRange(Feed(t, s).Ended);
        Assert.Single(ended);
        Assert.Empty(t.Tracks);
    }

    [Fact]
    public void Irregular_frame_intervals_track_by_time_not_frame_count()
    {
        var t = new ObjectTracker();
        double[] times = [0, 0.2, 0.35, 0.9, 1.0, 1.7, 1.8, 2.6, 2.65, 3.4];
        long? id = null;
        foreach (var s in times)
        {
            var f = Feed(t, s, Car(0.1 + (0.2 * s), 0.6));
            id ??= f.Objects[0].TrackId;
            Assert.Equal(id, Assert.Single(f.Objects).TrackId);
        }
        // Velocity is per second, whatever the frame spacing.
        Assert.Equal(0.2, t.Tracks[0].Velocity.X, 1);
        // A 1.5 s gap with no frame at all, then a prediction-based match.
        var g = Feed(t, 4.9, Car(0.1 + (0.2 * 4.9), 0.6));
        Assert.Equal(id, Assert.Single(g.Objects).TrackId);
    }

    [Fact]
    public void Low_score_detections_keep_a_track_alive_but_do_not_start_one()
    {
        var t = new ObjectTracker();
        var id = Assert.Single(Feed(t, 0, Car(0.5, 0.5)).Objects).TrackId;
        for (var s = 0.2; s < 5; s += 0.2)
        {
            var f = Feed(t, s, Car(0.5, 0.5, 0.3), Person(0.1, 0.3, 0.3));
            var o = Assert.Single(f.Objects);
            Assert.Equal(id, o.TrackId);
            Assert.True(o.Seen);
        }
        Assert.Single(t.Tracks);
        Assert.Equal(0.9, t.Tracks[0].BestScore);
        Assert.Equal(T0, t.Tracks[0].BestTime);
    }
}
