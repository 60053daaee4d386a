namespace Argus.Vision.Motion;

public enum MotionTransitionKind { None, Started, Ended }

/// <summary>Start of an event (Started: Start set) or its end (Ended: Start, End = last moving frame, PeakArea).</summary>
public readonly record struct MotionTransition(MotionTransitionKind Kind, DateTimeOffset Start, DateTimeOffset End, double PeakArea)
{
    public static readonly MotionTransition None = default;
}

/// <summary>
/// Cuts per-frame motion into events: an event starts once motion has lasted <c>minDuration</c> without a still frame,
/// and ends <c>quietToEnd</c> after the last moving frame.
/// Defaults (chosen on the labelled clips, docs/benchmarks.md "Motion accuracy"): 0.6 s is 4 frames in a row at 5 fps,
/// which a walking person or a car always gives and flicker or a compression glitch does not; 5 s of quiet keeps one
/// visit one event through a person's pauses without merging separate visits a few seconds apart.
/// </summary>
public sealed class MotionEventTracker
{
    public static readonly TimeSpan DefaultMinDuration = TimeSpan.FromSeconds(0.6);
    public static readonly TimeSpan DefaultQuietToEnd = TimeSpan.FromSeconds(5);

    private DateTimeOffset? _candidate;
    private DateTimeOffset _start;
    private DateTimeOffset _lastMotion;
    private double _peak;

    private readonly TimeSpan _minDuration;
    private readonly TimeSpan _quietToEnd;

    public MotionEventTracker() : this(DefaultMinDuration, DefaultQuietToEnd) { }

    public MotionEventTracker(TimeSpan minDuration, TimeSpan quietToEnd)
    {
        if (minDuration < TimeSpan.Zero) throw new ArgumentException("minDuration must not be negative.");
        if (quietToEnd <= TimeSpan.Zero) throw new ArgumentException("quietToEnd must be positive.");
        _minDuration = minDuration;
        _quietToEnd = quietToEnd;
    }

    public bool InEvent { get; private set; }

    public MotionTransition Update(bool motion, double area, DateTimeOffset time)
    {
        if (motion)
        {
            _lastMotion = time;
            if (InEvent)
            {
                _peak = Math.Max(_peak, area);
                return MotionTransition.None;
            }
            _candidate ??= time;
            _peak = _candidate == time ? area : Math.Max(_peak, area);
            if (time - _candidate.Value < _minDuration) return MotionTransition.None;
            InEvent = true;
            _start = _candidate.Value;
            _candidate = null;
            return new MotionTransition(MotionTransitionKind.Started, _start, time, _peak);
        }
        _candidate = null;
        if (InEvent && time - _lastMotion >= _quietToEnd) return Finish();
        return MotionTransition.None;
    }

    /// <summary>Ends an open event now (stream ended, camera disabled); None when there is none.</summary>
    public MotionTransition Finish()
    {
        _candidate = null;
        if (!InEvent) return MotionTransition.None;
        InEvent = false;
        return new MotionTransition(MotionTransitionKind.Ended, _start, _lastMotion, _peak);
    }
}
