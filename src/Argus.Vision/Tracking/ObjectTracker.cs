using Argus.Core.Objects;

namespace Argus.Vision.Tracking;

/// <summary>
/// Multi-object tracker in the style of ByteTrack, for irregular low-rate frames (everything in seconds) and for
/// detection that may run only on crops around motion. Per frame: predict every track to the frame time; match
/// high-score detections to all tracks by IoU (optimal assignment); match low-score detections to the confirmed tracks
/// still unmatched; match what is left by buffered IoU (boxes grown by the track's uncertainty: fast objects, fresh
/// tracks); start tentative tracks from unmatched high-score detections; age only tracks that were looked for.
/// Not thread-safe: one tracker per camera.
/// </summary>
public sealed class ObjectTracker
{
    private readonly TrackerOptions _o;
    private readonly List<Track> _tracks = [];
    private readonly LinearAssignment _solver = new();
    private readonly List<int> _high = [], _low = [], _cols = [];
    private readonly List<Track> _unmatched = [];
    private double[] _cost = [];
    private int[] _assign = [];
    private bool[] _detUsed = [];
    private long _nextId;
    private DateTimeOffset? _last;

    public ObjectTracker(TrackerOptions? options = null)
    {
        _o = options ?? new TrackerOptions();
        _nextId = _o.FirstId;
    }

    /// <summary>Live tracks, tentative ones included (check <see cref="Track.State"/>).</summary>
    public IReadOnlyList<Track> Tracks => _tracks;

    public Track? Find(long id)
    {
        foreach (var t in _tracks) if (t.Id == id) return t;
        return null;
    }

    /// <summary>Feeds one analysed frame. Frames must come in time order; a frame at or before the last is treated as dt = 0.</summary>
    public ObjectFrame Update(DateTimeOffset time, IReadOnlyList<Detection> detections, ObservedRegion observed)
    {
        var first = _last is null;
        var dt = first ? 0 : Math.Max(0, (time - _last!.Value).TotalSeconds);
        if (_last is null || time > _last) _last = time;

        // 1. Predict, and decide per track whether it was looked for on this frame.
        var decay = Math.Exp(-dt / Math.Max(1e-3, _o.UnobservedVelocityDecay.TotalSeconds));
        foreach (var t in _tracks)
        {
            var saved = t.Save();
            t.Predict(dt, _o, 1);
            t.Seen = false;
            // Mostly predicted out of the picture: the object has left; it ends unless a detection claims it now.
            var box = t.Box;
            t.Exited = !(box.Area > 0) || box.ClampToFrame().Area < box.Area * _o.ExitedVisible;
            t.Observed = observed.Coverage(box.ClampToFrame()) >= _o.ObservedCoverage;
            if (!t.Observed)
            {
                // Not looked for: keep it where it was rather than let it coast away (the parked car outside the crop).
                t.Restore(saved);
                t.Predict(dt, _o, decay);
            }
        }

        // 2. Split detections by score.
        _high.Clear();
        _low.Clear();
        for (var i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            if (!(d.Box.Area > 0) || string.IsNullOrEmpty(d.Class)) continue;
            if (d.Score >= _o.HighScore) _high.Add(i);
            else if (d.Score >= _o.LowScore) _low.Add(i);
        }
        if (_detUsed.Length < detections.Count) _detUsed = new bool[detections.Count];
        Array.Clear(_detUsed, 0, detections.Count);

        // 3. High-score detections against every track.
        Match(detections, _high, _o.MinIoU, buffered: false, confirmedOnly: false, time);
        // 4. Low-score detections against confirmed tracks still unmatched.
        Match(detections, _low, _o.LowMinIoU, buffered: false, confirmedOnly: true, time);
        // 5. Remaining high-score detections against remaining tracks with grown boxes.
        Match(detections, _high, _o.MinIoU, buffered: true, confirmedOnly: false, time);

        // 6. Age, confirm, end.
        var ended = new List<long>();
        for (var i = _tracks.Count - 1; i >= 0; i--)
        {
            var t = _tracks[i];
            if (t.Seen)
            {
                t.LastObserved = time;
                if (t.State == TrackState.Tentative && t.Hits >= _o.ConfirmHits) t.State = TrackState.Confirmed;
                else if (t.State == TrackState.Lost) t.State = TrackState.Confirmed;
                continue;
            }
            bool end;
            if (t.Exited)
            {
                end = true;
            }
            else if (t.Observed)
            {
                t.LastObserved = time;
                t.MissCount++;
                // Missed time counts from the last match or the last frame it was not looked for, so a long stretch
                // outside the crops is not charged to this one miss; and one miss alone never ends a confirmed track.
                var missed = time - t.LastAccounted;
                if (t.State == TrackState.Tentative) end = true;
                else
                {
                    t.State = TrackState.Lost;
                    end = missed >= _o.LostTime && t.MissCount >= 2;
                }
            }
            else
            {
                t.LastAccounted = time;
                // A tentative track is a single sighting: do not let it wait out of sight to be confirmed much later.
                end = time - t.LastObserved >= _o.MaxUnobservedTime
                    || (t.State == TrackState.Tentative && time - t.LastSeen >= _o.LostTime);
            }
            if (end)
            {
                if (t.State != TrackState.Tentative) ended.Add(t.Id);
                _tracks.RemoveAt(i);
            }
        }

        // 7. New tracks from unmatched high-score detections; on the very first frame they are confirmed at once.
        foreach (var i in _high)
        {
            if (_detUsed[i] || Duplicates(detections[i])) continue;
            var t = new Track(_nextId++, detections[i], time, confirmed: first || _o.ConfirmHits <= 1);
            t.Observed = true;
            _tracks.Add(t);
        }

        var objects = new List<TrackedObject>(_tracks.Count);
        foreach (var t in _tracks) if (t.State != TrackState.Tentative) objects.Add(t.ToObject());
        objects.Sort(static (a, b) => a.TrackId.CompareTo(b.TrackId));
        ended.Sort();
        return new ObjectFrame(time, objects, ended);
    }

    private void Match(IReadOnlyList<Detection> detections, List<int> pool, double minIoU, bool buffered, bool confirmedOnly, DateTimeOffset time)
    {
        _unmatched.Clear();
        foreach (var t in _tracks)
            if (!t.Seen && (!confirmedOnly || t.State != TrackState.Tentative)) _unmatched.Add(t);
        _cols.Clear();
        foreach (var i in pool) if (!_detUsed[i]) _cols.Add(i);
        int rows = _unmatched.Count, cols = _cols.Count;
        if (rows == 0 || cols == 0) return;
        if (_cost.Length < rows * cols) _cost = new double[Math.Max(rows * cols, _cost.Length * 2)];
        if (_assign.Length < rows) _assign = new int[Math.Max(rows, _assign.Length * 2)];

        var limit = 1 - minIoU;
        for (var r = 0; r < rows; r++)
        {
            var t = _unmatched[r];
            var box = t.Box;
            var grow = buffered ? Math.Clamp(_o.BufferSigmas * t.PositionSigma, _o.MinBuffer, _o.MaxBuffer) : 0;
            if (buffered) box = Grow(box, grow);
            for (var c = 0; c < cols; c++)
            {
                var d = detections[_cols[c]];
                double cost = 2; // forbidden: above any limit
                if (t.Accepts(d.Class))
                {
                    var iou = box.IoU(buffered ? Grow(d.Box, grow) : d.Box);
                    if (buffered) iou = Math.Max(iou, EdgeSimilarity(t.Box, d.Box));
                    if (iou >= minIoU) cost = 1 - iou;
                }
                _cost[(r * cols) + c] = cost;
            }
        }
        // Costs equal to the limit are kept (iou == minIoU); nudge the limit so "<" in the solver admits them.
        _solver.Solve(_cost.AsSpan(0, rows * cols), rows, cols, _assign.AsSpan(0, rows), limit + 1e-9);
        for (var r = 0; r < rows; r++)
        {
            var c = _assign[r];
            if (c < 0) continue;
            var di = _cols[c];
            _detUsed[di] = true;
            _unmatched[r].Update(detections[di], time, _o);
        }
    }

    /// <summary>
    /// An object coming in (or going out) over a frame edge is cut by it: its box grows (or shrinks) from one frame to
    /// the next far more than motion explains, so their IoU is low though one box holds the other. When both boxes
    /// touch the same edge, the share of the smaller inside the larger counts (less a margin, so it only decides when
    /// nothing fits better).
    /// </summary>
    private static double EdgeSimilarity(NormBox a, NormBox b)
    {
        const double edge = 0.02;
        var same = (a.Bottom >= 1 - edge && b.Bottom >= 1 - edge) || (a.Y <= edge && b.Y <= edge)
            || (a.X <= edge && b.X <= edge) || (a.Right >= 1 - edge && b.Right >= 1 - edge);
        if (!same) return 0;
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0) return 0;
        return (w * h / Math.Min(a.Area, b.Area)) - 0.4;
    }

    private static NormBox Grow(NormBox b, double fraction)
    {
        double gx = b.Width * fraction, gy = b.Height * fraction;
        return new NormBox(b.X - gx, b.Y - gy, b.Width + (2 * gx), b.Height + (2 * gy));
    }

    /// <summary>
    /// A second box on an object a track already follows this frame (detectors often report one vehicle as both car and
    /// truck): it must not start a track of its own, or the object is counted twice.
    /// </summary>
    private bool Duplicates(Detection d)
    {
        foreach (var t in _tracks)
            if ((t.Seen || t.Hits == 1 && t.LastSeen == _last) && t.IsVehicle == ObjectClasses.IsVehicle(d.Class) && t.DetectionBox.IoU(d.Box) >= _o.DuplicateIoU) return true;
        return false;
    }
}
