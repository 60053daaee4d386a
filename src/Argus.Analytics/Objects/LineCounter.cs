using Argus.Core.Geometry;
using Argus.Core.Objects;

namespace Argus.Analytics.Objects;

/// <summary>
/// "Ab": crossing to the right-hand side of A->B as seen on screen (y down), i.e. along the normal (-dy, dx);
/// "Ba": the other way.
/// </summary>
public enum LineDirection { Ab, Ba }

public static class LineDirections
{
    public static string ToWire(this LineDirection d) => d == LineDirection.Ab ? "ab" : "ba";
}

/// <summary>A counting line in normalised frame coordinates; empty <paramref name="Classes"/> counts every class.</summary>
public sealed record CountingLine(string Name, NormPoint A, NormPoint B, IReadOnlyList<string> Classes);

/// <summary>One crossing: when (interpolated between the two frames around it) and where the foot point crossed.</summary>
public sealed record LineCrossing(string Line, long TrackId, string Class, LineDirection Direction, DateTimeOffset Time, NormPoint Point)
{
    /// <summary>Filled in from a <see cref="SpeedMeter"/> reading when one is configured.</summary>
    public double? SpeedKmh { get; init; }
}

public sealed record LineCounterOptions
{
    /// <summary>Half-width of the band around the line (frame fractions) in which a foot point is on neither side.</summary>
    public double DeadBand { get; init; } = 0.005;
    /// <summary>The same track is not counted again on the line within this time of its last count.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>State of tracks absent this long without an end report is dropped.</summary>
    public TimeSpan Forget { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Counts tracks whose foot point crosses one line segment. A crossing counts when the foot point goes from one
/// definite side (beyond the dead band) to the other and the place where its path met the line lies within A..B.
/// Not thread-safe: one per line per camera.
/// </summary>
public sealed class LineCounter
{
    private readonly CountingLine _line;
    private readonly LineCounterOptions _o;
    private readonly ClassFilter _classes;
    private readonly double _dx, _dy, _len, _len2;
    private readonly Dictionary<long, State> _states = [];
    private readonly List<LineCrossing> _crossings = [];
    private readonly List<long> _stale = [];
    private DateTimeOffset _lastSweep;

    private sealed class State
    {
        public NormPoint Last;
        public double LastD;
        public DateTimeOffset LastTime;
        public int Side; // last definite side: -1, +1, 0 = not yet known
        public bool HasCross;
        public NormPoint CrossPoint;
        public DateTimeOffset CrossTime;
        public DateTimeOffset? LastCount;
        // A crossing made while the object stood still: counted once it moves on from the new side.
        public LineCrossing? Pending;
    }

    /// <exception cref="ArgumentException">when A and B coincide.</exception>
    public LineCounter(CountingLine line, LineCounterOptions? options = null)
    {
        _line = line;
        _o = options ?? new LineCounterOptions();
        _classes = new ClassFilter(line.Classes);
        _dx = line.B.X - line.A.X;
        _dy = line.B.Y - line.A.Y;
        _len2 = (_dx * _dx) + (_dy * _dy);
        _len = Math.Sqrt(_len2);
        if (_len < 1e-6) throw new ArgumentException($"line '{line.Name}' has no length (A and B are the same point).");
    }

    public CountingLine Line => _line;

    /// <summary>Feeds one frame; returns its crossings (a reused list, valid until the next call).</summary>
    public IReadOnlyList<LineCrossing> Update(ObjectFrame frame)
    {
        _crossings.Clear();
        var time = frame.Time;
        foreach (var o in frame.Objects)
        {
            // Only where the object was seen: a coasting prediction can carry a lost track over the line while the
            // object itself is picked up again by a new track, and the crossing would count twice.
            if (!o.Seen) continue;
            var p = o.Box.Foot;
            // Signed distance along the normal (-dy, dx): positive on the "ab" side.
            var d = ((_dx * (p.Y - _line.A.Y)) - (_dy * (p.X - _line.A.X))) / _len;
            var side = d > _o.DeadBand ? 1 : d < -_o.DeadBand ? -1 : 0;
            if (!_states.TryGetValue(o.TrackId, out var s))
            {
                _states[o.TrackId] = new State { Last = p, LastD = d, LastTime = time, Side = side };
                continue;
            }
            if (time <= s.LastTime) continue;

            if ((s.LastD < 0) != (d < 0) && s.LastD != d)
            {
                // The path met the line between the two frames: interpolate where and when.
                var f = s.LastD / (s.LastD - d);
                s.HasCross = true;
                s.CrossPoint = new NormPoint(s.Last.X + (f * (p.X - s.Last.X)), s.Last.Y + (f * (p.Y - s.Last.Y)));
                s.CrossTime = s.LastTime + ((time - s.LastTime) * f);
            }
            if (side != 0 && side != s.Side)
            {
                if (s.Pending is not null)
                {
                    // Back over the line before it moved on: the box shifted (a turn, a step), the object did not cross.
                    s.Pending = null;
                }
                else if (s.Side != 0 && s.HasCross && OnSegment(s.CrossPoint) && _classes.Allows(o.Class)
                    && (s.LastCount is null || s.CrossTime - s.LastCount.Value >= _o.Cooldown))
                {
                    var crossing = new LineCrossing(_line.Name, o.TrackId, o.Class, side > 0 ? LineDirection.Ab : LineDirection.Ba, s.CrossTime, s.CrossPoint);
                    // A standing object's box changes shape as it turns or is cut by the frame edge: its foot point
                    // can step over a line it never crossed. Such a crossing waits until the object moves on.
                    if (o.Stationary) s.Pending = crossing;
                    else
                    {
                        s.LastCount = s.CrossTime;
                        _crossings.Add(crossing);
                    }
                }
                s.Side = side;
                s.HasCross = false;
            }
            else if (s.Pending is { } pending && !o.Stationary && side == s.Side)
            {
                s.Pending = null;
                s.LastCount = pending.Time;
                _crossings.Add(pending with { Class = o.Class });
            }
            else if (side != 0)
            {
                // Back on the same definite side: any wobble through the band is forgotten.
                s.HasCross = false;
            }
            s.Last = p;
            s.LastD = d;
            s.LastTime = time;
        }
        foreach (var id in frame.Ended) _states.Remove(id);
        Sweep(time);
        return _crossings;
    }

    private bool OnSegment(NormPoint c)
    {
        var t = (((c.X - _line.A.X) * _dx) + ((c.Y - _line.A.Y) * _dy)) / _len2;
        return t >= 0 && t <= 1;
    }

    private void Sweep(DateTimeOffset time)
    {
        if (time - _lastSweep < TimeSpan.FromSeconds(10)) return;
        _lastSweep = time;
        _stale.Clear();
        foreach (var (id, s) in _states) if (time - s.LastTime > _o.Forget) _stale.Add(id);
        foreach (var id in _stale) _states.Remove(id);
    }
}
