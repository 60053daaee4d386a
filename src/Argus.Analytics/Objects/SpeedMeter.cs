using Argus.Core.Geometry;
using Argus.Core.Objects;

namespace Argus.Analytics.Objects;

/// <summary>A measured speed; <paramref name="Crossing"/> is the crossing it belongs to (the second line, or any line on the ground method).</summary>
public sealed record SpeedReading(long TrackId, string Class, double Kmh, DateTimeOffset Time, LineCrossing? Crossing);

/// <summary>
/// Speed of tracks, either between two lines a known distance apart (crossed in either order, using the
/// interpolated crossing times) or on a calibrated ground plane (least-squares slope of the foot point's position in
/// metres over a sliding window). Values above <see cref="MaxKmh"/> are treated as unmeasured (a track switch, a
/// bad box). Not thread-safe: one per camera.
/// </summary>
public sealed class SpeedMeter
{
    public const double MaxKmh = 300;

    private readonly string? _line1, _line2;
    private readonly double _metres;
    private readonly TimeSpan _maxInterval;
    private readonly Homography? _ground;
    private readonly TimeSpan _window;
    private readonly Dictionary<long, (string Line, DateTimeOffset Time)> _pending = [];
    private readonly Dictionary<long, Queue<(double T, double X, double Y)>> _samples = [];
    private readonly Dictionary<long, double> _last = [];
    private readonly List<SpeedReading> _readings = [];
    private readonly List<LineCrossing> _sorted = [];
    private DateTimeOffset? _epoch;

    private SpeedMeter(string? line1, string? line2, double metres, TimeSpan maxInterval, Homography? ground, TimeSpan window)
    {
        _line1 = line1;
        _line2 = line2;
        _metres = metres;
        _maxInterval = maxInterval;
        _ground = ground;
        _window = window;
    }

    /// <param name="maxInterval">A second crossing later than this after the first is not paired with it (default 60 s).</param>
    /// <exception cref="ArgumentException">for equal line names or a distance that is not positive.</exception>
    public static SpeedMeter BetweenLines(string firstLine, string secondLine, double metres, TimeSpan? maxInterval = null)
    {
        if (string.Equals(firstLine, secondLine, StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("speed needs two different lines.");
        if (!(metres > 0) || !double.IsFinite(metres)) throw new ArgumentException("the distance between the lines must be a positive number of metres.");
        return new SpeedMeter(firstLine, secondLine, metres, maxInterval ?? TimeSpan.FromMinutes(1), null, default);
    }

    /// <param name="window">Sliding window of foot positions the speed is fitted over (default 1 s).</param>
    public static SpeedMeter OnGround(Homography ground, TimeSpan? window = null)
    {
        var w = window ?? TimeSpan.FromSeconds(1);
        if (w <= TimeSpan.Zero) throw new ArgumentException("the speed window must be positive.");
        return new SpeedMeter(null, null, 0, default, ground, w);
    }

    /// <summary>The last speed measured for a track (km/h), if any.</summary>
    public double? SpeedOf(long trackId) => _last.TryGetValue(trackId, out var v) ? v : null;

    /// <summary>
    /// Feeds one frame and the line crossings counted on it (from all of the camera's lines). Returns the speeds
    /// measured (a reused list, valid until the next call).
    /// </summary>
    public IReadOnlyList<SpeedReading> Update(ObjectFrame frame, IReadOnlyList<LineCrossing> crossings)
    {
        _readings.Clear();
        if (_ground is not null) UpdateGround(frame, crossings);
        else UpdateLines(crossings);
        foreach (var id in frame.Ended)
        {
            _pending.Remove(id);
            _samples.Remove(id);
            _last.Remove(id);
        }
        return _readings;
    }

    private void UpdateLines(IReadOnlyList<LineCrossing> crossings)
    {
        _sorted.Clear();
        foreach (var c in crossings)
            if (string.Equals(c.Line, _line1, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Line, _line2, StringComparison.OrdinalIgnoreCase)) _sorted.Add(c);
        // Both lines may be crossed between the same two frames: pair them in the order they happened.
        _sorted.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        foreach (var c in _sorted)
        {
            if (_pending.TryGetValue(c.TrackId, out var first) && !string.Equals(first.Line, c.Line, StringComparison.OrdinalIgnoreCase))
            {
                _pending.Remove(c.TrackId);
                var dt = (c.Time - first.Time).TotalSeconds;
                if (dt > 0 && c.Time - first.Time <= _maxInterval)
                {
                    var kmh = _metres / dt * 3.6;
                    if (kmh <= MaxKmh)
                    {
                        _last[c.TrackId] = kmh;
                        _readings.Add(new SpeedReading(c.TrackId, c.Class, kmh, c.Time, c));
                    }
                }
                continue;
            }
            // First line (or the same line again, e.g. a U-turn): start timing from here.
            _pending[c.TrackId] = (c.Line, c.Time);
        }
        if (_pending.Count > 0 && crossings.Count > 0)
        {
            var now = crossings[^1].Time;
            List<long>? old = null;
            foreach (var (id, p) in _pending) if (now - p.Time > _maxInterval) (old ??= []).Add(id);
            if (old is not null) foreach (var id in old) _pending.Remove(id);
        }
    }

    private void UpdateGround(ObjectFrame frame, IReadOnlyList<LineCrossing> crossings)
    {
        _epoch ??= frame.Time;
        var t = (frame.Time - _epoch.Value).TotalSeconds;
        foreach (var o in frame.Objects)
        {
            // Coasting positions are predictions, not measurements.
            if (!o.Seen) continue;
            var (x, y) = _ground!.Apply(o.Box.Foot);
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            if (!_samples.TryGetValue(o.TrackId, out var q)) _samples[o.TrackId] = q = new Queue<(double, double, double)>();
            q.Enqueue((t, x, y));
            while (q.Count > 0 && q.Peek().T < t - _window.TotalSeconds - 1e-9) q.Dequeue();
            var v = Fit(q, _window.TotalSeconds);
            if (v is { } kmh) _last[o.TrackId] = kmh;
            else _last.Remove(o.TrackId);
        }
        foreach (var c in crossings)
        {
            if (_last.TryGetValue(c.TrackId, out var kmh)) _readings.Add(new SpeedReading(c.TrackId, c.Class, kmh, c.Time, c));
        }
    }

    /// <summary>Least-squares velocity of x(t) and y(t); null with fewer than 3 samples or less than half the window.</summary>
    private static double? Fit(Queue<(double T, double X, double Y)> q, double window)
    {
        if (q.Count < 3) return null;
        double n = 0, st = 0, sx = 0, sy = 0, tMin = double.MaxValue, tMax = double.MinValue;
        foreach (var (t, x, y) in q)
        {
            n++; st += t; sx += x; sy += y;
            tMin = Math.Min(tMin, t); tMax = Math.Max(tMax, t);
        }
        if (tMax - tMin < window / 2) return null;
        double mt = st / n, mx = sx / n, my = sy / n, stt = 0, stx = 0, sty = 0;
        foreach (var (t, x, y) in q)
        {
            var dt = t - mt;
            stt += dt * dt; stx += dt * (x - mx); sty += dt * (y - my);
        }
        if (stt <= 0) return null;
        var kmh = Math.Sqrt((stx / stt * (stx / stt)) + (sty / stt * (sty / stt))) * 3.6;
        return kmh <= MaxKmh ? kmh : null;
    }
}
