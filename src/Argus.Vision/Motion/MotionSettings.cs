namespace Argus.Vision.Motion;

public sealed record MotionSettings
{
    /// <summary>1..100, higher = more sensitive (smaller brightness changes count).</summary>
    public int Sensitivity { get; init; } = 60;

    /// <summary>Smallest moving region that counts, as a fraction of the frame (0.002 = 0.2 %).</summary>
    public double MinArea { get; init; } = 0.002;

    public bool Enabled { get; init; } = true;

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static void Validate(MotionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Sensitivity is < 1 or > 100)
            throw new ArgumentException($"motion sensitivity must be between 1 and 100 (higher = more sensitive); got {settings.Sensitivity}.");
        if (!double.IsFinite(settings.MinArea) || settings.MinArea <= 0 || settings.MinArea > 0.5)
            throw new ArgumentException($"motion minimum area must be a fraction of the frame above 0 and at most 0.5 (e.g. 0.002 = 0.2 %); got {settings.MinArea}.");
    }
}
