namespace Argus.Media.Recording;

public sealed class RecorderTuning
{
    /// <summary>Restart delays grow from this, doubling per failed run.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A run that stayed up this long resets the backoff.</summary>
    public TimeSpan HealthyRun { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>No new frame for this long kills the run (a camera that stalls without closing the socket).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>A run that has not produced its first frame after this long is killed (a port that talks but is no camera).</summary>
    public TimeSpan FirstFrameTimeout { get; set; } = TimeSpan.FromSeconds(12);
    /// <summary>No new frame for this long makes the camera count as offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// The recording ffmpeg also writes live video for viewers and snapshots (see docs/decisions.md). Off: no live
    /// view, snapshots come from recordings, and the server does not read the live output (docs/benchmarks.md).
    /// </summary>
    public bool Live { get; set; } = true;
    /// <summary>
    /// Live video is read back from the segments being written, only while watched (no cost otherwise). False: the
    /// recording ffmpeg writes a second, per-frame live output on stdout that the server reads at all times (lower
    /// latency by about a fragment, ~0.2 % of a core more per camera; docs/benchmarks.md). Cameras whose live picture
    /// is masked but whose recording is not always use the second output.
    /// </summary>
    public bool LiveFromSegments { get; set; } = true;
    /// <summary>
    /// Length of the recorded fragments: what live from the segments lags by, and at most what a crash loses. Shorter
    /// costs ffmpeg more (a moof and a write each); 40 ms to 2 s (<see cref="Ffmpeg.RecordCommand.DefaultFragment"/>).
    /// </summary>
    public TimeSpan FragmentDuration { get; set; } = Ffmpeg.RecordCommand.DefaultFragment;
    /// <summary>
    /// While nobody watches a camera live, its live output is read in batches this far apart (it waits in the 1 MiB
    /// pipe meanwhile): fewer wake-ups per camera. A new viewer waits at most this long more for the first picture.
    /// </summary>
    public TimeSpan LiveIdleReadPause { get; set; } = TimeSpan.FromMilliseconds(250);
}
