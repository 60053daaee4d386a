namespace Argus.Core.Analysis;

/// <summary>How a camera is analysed for motion. On by default for every camera.</summary>
public sealed record AnalysisSettings
{
    public const int Width = 640;
    public const int Height = 360;

    public bool Enabled { get; init; } = true;
    /// <summary>Frames analysed per second, decoded from the substream (or the main stream scaled down).</summary>
    public double Fps { get; init; } = 5;
    /// <summary>1..100; higher finds smaller and fainter changes.</summary>
    public int Sensitivity { get; init; } = 60;
    /// <summary>Smallest moving area that counts, as a fraction of the frame.</summary>
    public double MinArea { get; init; } = 0.002;
    /// <summary>Seconds without motion that end a motion event.</summary>
    public double QuietSeconds { get; init; } = 5;
    /// <summary>Pre- and post-roll of event clips, seconds.</summary>
    public double PreRollSeconds { get; init; } = 5;
    public double PostRollSeconds { get; init; } = 5;
    /// <summary>Raise camera.tamper events (covered, defocused, turned away).</summary>
    public bool Tamper { get; init; } = true;
    /// <summary>Object detection and tracking (people, vehicles): see <see cref="ObjectSettings"/>.</summary>
    public ObjectSettings Objects { get; init; } = ObjectSettings.Default;

    public static readonly AnalysisSettings Default = new();

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public AnalysisSettings Validate()
    {
        if (!double.IsFinite(Fps) || Fps < 0.5 || Fps > 15) throw new ArgumentException("analysis.fps must be between 0.5 and 15.");
        if (Sensitivity is < 1 or > 100) throw new ArgumentException("analysis.sensitivity must be between 1 and 100.");
        if (!double.IsFinite(MinArea) || MinArea < 0.0001 || MinArea > 0.5) throw new ArgumentException("analysis.minArea must be between 0.0001 and 0.5 (fraction of the frame).");
        if (!double.IsFinite(QuietSeconds) || QuietSeconds < 1 || QuietSeconds > 600) throw new ArgumentException("analysis.quietSeconds must be between 1 and 600.");
        if (!double.IsFinite(PreRollSeconds) || PreRollSeconds < 0 || PreRollSeconds > 120) throw new ArgumentException("analysis.preRollSeconds must be between 0 and 120.");
        if (!double.IsFinite(PostRollSeconds) || PostRollSeconds < 0 || PostRollSeconds > 120) throw new ArgumentException("analysis.postRollSeconds must be between 0 and 120.");
        return this with { Objects = (Objects ?? ObjectSettings.Default).Validate() };
    }
}
