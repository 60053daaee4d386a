using Argus.Core.Geometry;
using Argus.Core.Objects;

namespace Argus.Analytics.Objects;

/// <summary>A zone for object rules; empty <paramref name="Classes"/> = every class; <paramref name="Dwell"/> null = no dwell events.</summary>
public sealed record ObjectZone(string Name, Polygon Area, IReadOnlyList<string> Classes, TimeSpan? Dwell = null);

public enum ZoneEventKind { Enter, Leave, Dwell }

/// <summary>
/// A zone transition. <paramref name="Seconds"/>: for Dwell the time inside so far, for Leave the length of the visit,
/// 0 for Enter. A Leave's time is when the foot point was first outside (reported once it stayed out past the
/// grace time), or the frame the track ended on.
/// </summary>
public sealed record ZoneEvent(ZoneEventKind Kind, string Zone, long TrackId, string Class, DateTimeOffset Time, double Seconds);

/// <summary>
/// Enter / leave / dwell of tracks' foot points in zones. Boxes jitter, so an excursion out of a zone shorter than the
/// grace time neither ends the visit nor restarts its dwell clock. Not thread-safe: one per camera.
/// </summary>
public sealed class ZoneWatcher
{
    private readonly ObjectZone[] _zones;
    private readonly ClassFilter[] _filters;
    private readonly TimeSpan _grace;
    private readonly Dictionary<(int Zone, long Track), Visit> _visits = [];
    private readonly List<ZoneEvent> _events = [];
    private readonly List<(int, long)> _done = [];

    private sealed class Visit
    {
        public DateTimeOffset Entered;
        public DateTimeOffset? OutsideSince;
        public DateTimeOffset LastUpdate;
        /// <summary>Last frame the object itself was seen inside (not its coasting prediction).</summary>
        public DateTimeOffset? LastSeenInside;
        public bool DwellReported;
        public string Class = "";
    }

    /// <param name="grace">How long a foot point may be outside before the visit ends (default 1 s).</param>
    public ZoneWatcher(IEnumerable<ObjectZone> zones, TimeSpan? grace = null)
    {
        _zones = [.. zones];
        _filters = [.. _zones.Select(z => new ClassFilter(z.Classes))];
        _grace = grace ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>Feeds one frame; returns its events (a reused list, valid until the next call).</summary>
    public IReadOnlyList<ZoneEvent> Update(ObjectFrame frame)
    {
        _events.Clear();
        var time = frame.Time;
        for (var z = 0; z < _zones.Length; z++)
        {
            var zone = _zones[z];
            foreach (var o in frame.Objects)
            {
                var key = (z, o.TrackId);
                var inVisit = _visits.TryGetValue(key, out var v);
                // A class flip (car -> truck) during a visit does not end it; it only matters at entry.
                if (!inVisit && !_filters[z].Allows(o.Class)) continue;
                var foot = o.Box.Foot;
                var inside = zone.Area.Contains(foot.X, foot.Y);
                if (inside)
                {
                    if (!inVisit)
                    {
                        v = new Visit { Entered = time };
                        _visits[key] = v;
                        _events.Add(new ZoneEvent(ZoneEventKind.Enter, zone.Name, o.TrackId, o.Class, time, 0));
                    }
                    v!.OutsideSince = null;
                    v.LastUpdate = time;
                    if (o.Seen) v.LastSeenInside = time;
                    v.Class = o.Class;
                    if (zone.Dwell is { } dwell && !v.DwellReported && time - v.Entered >= dwell)
                    {
                        v.DwellReported = true;
                        _events.Add(new ZoneEvent(ZoneEventKind.Dwell, zone.Name, o.TrackId, o.Class, time, (time - v.Entered).TotalSeconds));
                    }
                }
                else if (inVisit)
                {
                    v!.LastUpdate = time;
                    v.Class = o.Class;
                    v.OutsideSince ??= time;
                    if (time - v.OutsideSince.Value >= _grace)
                    {
                        _visits.Remove(key);
                        _events.Add(Leave(zone, o.TrackId, v, v.OutsideSince.Value));
                    }
                }
            }
        }

        // Ended tracks leave every zone they were in; tracks gone silently for long are dropped the same way.
        _done.Clear();
        foreach (var (key, v) in _visits)
        {
            var ended = false;
            foreach (var id in frame.Ended) ended |= id == key.Track;
            if (ended || time - v.LastUpdate > TimeSpan.FromMinutes(1)) _done.Add(key);
        }
        foreach (var key in _done)
        {
            var v = _visits[key];
            _visits.Remove(key);
            // A track ends a while after its object was last seen (it coasts first): the visit ended when it was last seen.
            _events.Add(Leave(_zones[key.Item1], key.Item2, v, v.OutsideSince ?? v.LastSeenInside ?? time));
        }
        return _events;
    }

    private static ZoneEvent Leave(ObjectZone zone, long track, Visit v, DateTimeOffset at) =>
        new(ZoneEventKind.Leave, zone.Name, track, v.Class, at, (at - v.Entered).TotalSeconds);
}
