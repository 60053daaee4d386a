using Argus.Core.Geometry;
using Argus.Core.Objects;

namespace Argus.Vision.Tracking;

public enum TrackState { Tentative, Confirmed, Lost }

/// <summary>A tracker's object: filtered box, class vote, and the best detection so far (the snapshot moment).</summary>
public sealed class Track
{
    private KalmanAxis _cx, _cy, _w, _h;
    private (string Class, double Weight)[] _votes = new (string, double)[2];
    private int _voteCount;
    private readonly (DateTimeOffset Time, NormPoint Foot)[] _feet = new (DateTimeOffset, NormPoint)[FootSamples];
    private int _footStart, _footCount;
    private const int FootSamples = 48;

    internal Track(long id, Detection d, DateTimeOffset time, bool confirmed)
    {
        Id = id;
        State = confirmed ? TrackState.Confirmed : TrackState.Tentative;
        var b = d.Box;
        _cx = new KalmanAxis(b.CenterX, 0.1 * b.Width, 2 * b.Width);
        _cy = new KalmanAxis(b.CenterY, 0.1 * b.Height, 2 * b.Height);
        _w = new KalmanAxis(b.Width, 0.1 * b.Width, 0.5 * b.Width);
        _h = new KalmanAxis(b.Height, 0.1 * b.Height, 0.5 * b.Height);
        Class = d.Class.ToLowerInvariant();
        IsVehicle = ObjectClasses.IsVehicle(Class);
        FirstSeen = time;
        BestTime = time;
        BestBox = b;
        BestScore = d.Score;
        LastSeen = time;
        LastAccounted = time;
        LastObserved = time;
        Hits = 1;
        Score = d.Score;
        DetectionBox = b;
        Seen = true;
        AddVote(Class, d.Score);
        AddFoot(time, b.Foot, TimeSpan.Zero);
    }

    public long Id { get; }
    public TrackState State { get; internal set; }
    /// <summary>Majority class, weighted by detection score (vehicles flip car/truck/bus between frames).</summary>
    public string Class { get; private set; }
    public bool IsVehicle { get; }
    /// <summary>Filtered (or, when not seen, predicted) box.</summary>
    public NormBox Box => NormBox.FromCorners(_cx.X - (Width / 2), _cy.X - (Height / 2), _cx.X + (Width / 2), _cy.X + (Height / 2));
    /// <summary>The last matched detection's box and score.</summary>
    public NormBox DetectionBox { get; private set; }
    public double Score { get; private set; }
    /// <summary>Matched on the last frame.</summary>
    public bool Seen { get; internal set; }
    /// <summary>Its predicted box lay in the region detection ran on, in the last frame.</summary>
    public bool Observed { get; internal set; }
    /// <summary>Predicted mostly out of the frame on this update (it left the picture).</summary>
    public bool Exited { get; internal set; }
    public bool Stationary { get; private set; }
    public int Hits { get; private set; }
    public DateTimeOffset FirstSeen { get; }
    public DateTimeOffset LastSeen { get; private set; }
    public double BestScore { get; private set; }
    public NormBox BestBox { get; private set; }
    public DateTimeOffset BestTime { get; private set; }
    /// <summary>Centre velocity in frame fractions per second.</summary>
    public (double X, double Y) Velocity => (_cx.V, _cy.V);

    /// <summary>Last time the track was matched or not looked for: missed time is counted from here.</summary>
    internal DateTimeOffset LastAccounted { get; set; }
    internal DateTimeOffset LastObserved { get; set; }
    internal int MissCount { get; set; }

    private double Width => Math.Max(_w.X, 1e-4);
    private double Height => Math.Max(_h.X, 1e-4);

    /// <summary>Standard deviation of the centre position in box sizes (the larger of the two axes).</summary>
    internal double PositionSigma => Math.Max(Math.Sqrt(_cx.Pxx) / Width, Math.Sqrt(_cy.Pxx) / Height);

    internal bool Accepts(string detectionClass) =>
        IsVehicle ? ObjectClasses.IsVehicle(detectionClass) : string.Equals(Class, detectionClass, StringComparison.OrdinalIgnoreCase);

    internal void Predict(double dt, TrackerOptions o, double velocityDecay)
    {
        if (velocityDecay < 1)
        {
            _cx.V *= velocityDecay; _cy.V *= velocityDecay; _w.V *= velocityDecay; _h.V *= velocityDecay;
        }
        _cx.Predict(dt, o.PositionAccel * Width);
        _cy.Predict(dt, o.PositionAccel * Height);
        _w.Predict(dt, o.SizeAccel * Width);
        _h.Predict(dt, o.SizeAccel * Height);
    }

    internal (KalmanAxis, KalmanAxis, KalmanAxis, KalmanAxis) Save() => (_cx, _cy, _w, _h);
    internal void Restore((KalmanAxis, KalmanAxis, KalmanAxis, KalmanAxis) s) => (_cx, _cy, _w, _h) = s;

    internal void Update(Detection d, DateTimeOffset time, TrackerOptions o)
    {
        var b = d.Box;
        // Measurement noise proportional to the box, as ByteTrack (1/20 of its size).
        _cx.Update(b.CenterX, 0.05 * Width);
        _cy.Update(b.CenterY, 0.05 * Height);
        _w.Update(b.Width, 0.05 * Width);
        _h.Update(b.Height, 0.05 * Height);
        Hits++;
        Seen = true;
        Score = d.Score;
        DetectionBox = b;
        LastSeen = time;
        LastAccounted = time;
        MissCount = 0;
        if (d.Score > BestScore)
        {
            BestScore = d.Score;
            BestBox = b;
            BestTime = time;
        }
        AddVote(d.Class, d.Score);
        var box = Box;
        AddFoot(time, box.Foot, o.StationaryWindow / (FootSamples - 8));
        UpdateStationary(time, box.Foot, Math.Max(box.Width, box.Height), o);
    }

    private void AddVote(string cls, double weight)
    {
        var best = 0;
        var found = false;
        for (var i = 0; i < _voteCount; i++)
        {
            if (string.Equals(_votes[i].Class, cls, StringComparison.OrdinalIgnoreCase))
            {
                _votes[i].Weight += weight;
                found = true;
            }
        }
        if (!found)
        {
            if (_voteCount == _votes.Length) Array.Resize(ref _votes, _voteCount * 2);
            _votes[_voteCount++] = (cls.ToLowerInvariant(), weight);
        }
        for (var i = 1; i < _voteCount; i++) if (_votes[i].Weight > _votes[best].Weight) best = i;
        Class = _votes[best].Class;
    }

    /// <summary>Samples closer than <paramref name="spacing"/> are skipped so the ring spans the window at any frame rate.</summary>
    private void AddFoot(DateTimeOffset time, NormPoint foot, TimeSpan spacing)
    {
        if (_footCount > 0 && time - _feet[(_footStart + _footCount - 1) % FootSamples].Time < spacing) return;
        if (_footCount == FootSamples)
        {
            _footStart = (_footStart + 1) % FootSamples;
            _footCount--;
        }
        _feet[(_footStart + _footCount) % FootSamples] = (time, foot);
        _footCount++;
    }

    /// <summary>
    /// Stationary when every matched foot position since (just before) the window start is within a fraction of the
    /// box size of the current one. Leaving needs 1.5x the fraction, so a parked car's jitter does not flicker it.
    /// </summary>
    private void UpdateStationary(DateTimeOffset time, NormPoint current, double size, TrackerOptions o)
    {
        var start = time - o.StationaryWindow;
        // Keep one sample at or before the window start so we know the history spans the whole window.
        while (_footCount > 1 && _feet[(_footStart + 1) % FootSamples].Time <= start)
        {
            _footStart = (_footStart + 1) % FootSamples;
            _footCount--;
        }
        if (_feet[_footStart].Time > start)
        {
            // Not enough history yet (young track, or a gap refilled the ring): judge what we have only if stopping
            // was already established.
            if (!Stationary) return;
        }
        var limit = o.StationaryFraction * size * (Stationary ? 1.5 : 1);
        var limit2 = limit * limit;
        for (var i = 0; i < _footCount; i++)
        {
            var f = _feet[(_footStart + i) % FootSamples].Foot;
            double dx = f.X - current.X, dy = f.Y - current.Y;
            if ((dx * dx) + (dy * dy) > limit2)
            {
                Stationary = false;
                return;
            }
        }
        Stationary = true;
    }

    internal TrackedObject ToObject() => new(Id, Class, Box.ClampToFrame(), Score, Seen, Stationary);
}
