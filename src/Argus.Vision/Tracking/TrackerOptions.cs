namespace Argus.Vision.Tracking;

public sealed record TrackerOptions
{
    /// <summary>Detections at or above this score are matched first and may start tracks.</summary>
    public double HighScore { get; init; } = 0.5;
    /// <summary>Detections between this and <see cref="HighScore"/> only keep existing tracks alive (ByteTrack's second pass).</summary>
    public double LowScore { get; init; } = 0.1;
    /// <summary>Minimum IoU between a track's predicted box and a detection for a match.</summary>
    public double MinIoU { get; init; } = 0.25;
    /// <summary>Low-score detections need a closer fit: they are more often clutter.</summary>
    public double LowMinIoU { get; init; } = 0.4;
    /// <summary>
    /// Last pass: boxes grown by this many standard deviations of the track's position uncertainty (at least
    /// <see cref="MinBuffer"/> of their size) before IoU, so fast or freshly started objects at 5 fps still match.
    /// </summary>
    public double BufferSigmas { get; init; } = 2;
    public double MinBuffer { get; init; } = 0.3;
    public double MaxBuffer { get; init; } = 1.5;
    /// <summary>Hits that confirm a new track (tracks on the very first frame are confirmed at once).</summary>
    public int ConfirmHits { get; init; } = 2;
    /// <summary>Missed time (looked for and not found) after which a track ends.</summary>
    public TimeSpan LostTime { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A track not looked for at all this long ends too (detection never ran where it is).</summary>
    public TimeSpan MaxUnobservedTime { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Fraction of a predicted box that must lie in one detection crop for a miss to count.</summary>
    public double ObservedCoverage { get; init; } = 0.8;
    /// <summary>Time constant of the velocity decay while a track is not looked for (so its prediction stays put).</summary>
    public TimeSpan UnobservedVelocityDecay { get; init; } = TimeSpan.FromSeconds(0.5);
    /// <summary>Stationary: the foot point stayed within this fraction of the box size (larger side) ...</summary>
    public double StationaryFraction { get; init; } = 0.15;
    /// <summary>... for this long.</summary>
    public TimeSpan StationaryWindow { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Process noise: acceleration (box sizes per s^2) of the centre and of the size.</summary>
    public double PositionAccel { get; init; } = 2;
    public double SizeAccel { get; init; } = 0.5;
    /// <summary>Id of the first track; a host restarting a camera's tracker can start above the ids it already stored.</summary>
    public long FirstId { get; init; } = 1;
    /// <summary>A track whose predicted box is less than this fraction inside the frame has left the picture.</summary>
    public double ExitedVisible { get; init; } = 0.3;
    /// <summary>An unmatched detection overlapping a track matched on the same frame this much is the same object.</summary>
    public double DuplicateIoU { get; init; } = 0.6;
}
