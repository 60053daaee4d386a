namespace Argus.Vision.Motion;

/// <summary>How much of one zone moves: built by <see cref="MotionDetector.CreateZoneMeter"/> for that detector.</summary>
public sealed class ZoneMeter
{
    private readonly MotionDetector _detector;
    private readonly int[] _cells;

    internal ZoneMeter(MotionDetector detector, int[] cells)
    {
        _detector = detector;
        _cells = cells;
    }

    /// <summary>Fraction of the zone's area covered by moving regions that count in the detector's last frame (0 when none).</summary>
    /// <exception cref="ArgumentException">when <paramref name="result"/> comes from another detector.</exception>
    public double Coverage(MotionResult result)
    {
        if (!ReferenceEquals(result.Owner, _detector)) throw new ArgumentException("this result comes from another detector than the zone meter's.");
        return _detector.CoverageOf(_cells);
    }
}
