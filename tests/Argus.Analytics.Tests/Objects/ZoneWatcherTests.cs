using Argus.Analytics.Objects;
using Argus.Core.Geometry;
using Argus.Core.Objects;
using static Argus.Analytics.Tests.Objects.Scene;

namespace Argus.Analytics.Tests.Objects;

public class ZoneWatcherTests
{
    private static readonly Polygon Box = Polygon.Create([new(0.4, 0.4), new(0.6, 0.4), new(0.6, 0.6), new(0.4, 0.6)]);

    private static ZoneWatcher Watcher(TimeSpan? dwell = null, params string[] classes) => new([new ObjectZone("bay", Box, classes, dwell)]);

    [Fact]
    public void Enter_and_leave_with_the_times_they_happened()
    {
        var w = Watcher();
        var events = new List<ZoneEvent>();
        // Walks in at 2.0 s, out at 4.0 s.
        for (var i = 0; i <= 30; i++)
        {
            var s = i * 0.2;
            var x = 0.21 + (0.1 * s);
            events.AddRange(w.Update(Frame(s, At(1, x, 0.5))));
        }
        Assert.Equal([ZoneEventKind.Enter, ZoneEventKind.Leave], events.Select(e => e.Kind));
        Assert.Equal(T0.AddSeconds(2.0), events[0].Time); // first frame with x > 0.4
        Assert.Equal(T0.AddSeconds(4.0), events[1].Time); // first frame with x > 0.6
        Assert.Equal(2, events[1].Seconds, 6);
        Assert.Equal("bay", events[0].Zone);
    }

    [Fact]
    public void Dwell_fires_once_per_visit_timed_from_entry_despite_short_excursions()
    {
        var w = Watcher(TimeSpan.FromSeconds(5));
        var events = new List<ZoneEvent>();
        for (var i = 0; i <= 60; i++)
        {
            var s = i * 0.2;
            // Parked at the zone's edge: every 2 s its foot jitters out for 0.6 s.
            var outside = i % 10 is 7 or 8 or 9;
            events.AddRange(w.Update(Frame(s, At(1, outside ? 0.62 : 0.58, 0.5))));
        }
        Assert.Equal([ZoneEventKind.Enter, ZoneEventKind.Dwell], events.Select(e => e.Kind));
        Assert.Equal(T0.AddSeconds(5), events[1].Time);
        Assert.Equal(5, events[1].Seconds, 6);

        // A real departure (2 s out) ends the visit; coming back starts a new one with its own dwell.
        for (var i = 61; i <= 71; i++) events.AddRange(w.Update(Frame(i * 0.2, At(1, 0.8, 0.5))));
        for (var i = 72; i <= 110; i++) events.AddRange(w.Update(Frame(i * 0.2, At(1, 0.5, 0.5))));
        Assert.Equal([ZoneEventKind.Enter, ZoneEventKind.Dwell, ZoneEventKind.Leave, ZoneEventKind.Enter, ZoneEventKind.Dwell], events.Select(e => e.Kind));
    }

    [Fact]
    public void A_track_ending_inside_leaves_and_other_classes_are_ignored()
    {
        var w = Watcher(null, "person");
        Assert.Single(w.Update(Frame(0, At(1, 0.5, 0.5, "person"), At(2, 0.5, 0.5, "car"))));
        Assert.Empty(w.Update(Frame(0.2, At(1, 0.5, 0.5, "person"), At(2, 0.5, 0.5, "car"))));
        var e = Assert.Single(w.Update(Ended(0.4, 1, 2)));
        Assert.Equal(ZoneEventKind.Leave, e.Kind);
        Assert.Equal(1, e.TrackId);
        // It ends when it was last seen inside, not when the tracker gave it up.
        Assert.Equal(T0.AddSeconds(0.2), e.Time);
        Assert.Empty(w.Update(Ended(0.6, 1)));
    }

    [Fact]
    public void A_track_ending_during_an_excursion_leaves_at_the_time_it_went_out()
    {
        var w = Watcher();
        w.Update(Frame(0, At(1, 0.5, 0.5)));
        Assert.Empty(w.Update(Frame(0.2, At(1, 0.65, 0.5))));
        var e = Assert.Single(w.Update(Ended(0.4, 1)));
        Assert.Equal(T0.AddSeconds(0.2), e.Time);
    }
}
