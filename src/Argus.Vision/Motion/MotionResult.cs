namespace Argus.Vision.Motion;

/// <summary>A moving region's bounding box and area, normalised to the frame (0..1).</summary>
public readonly record struct MotionRegion(double X, double Y, double Width, double Height, double Area);

/// <summary>
/// What <see cref="MotionDetector.Process"/> found in one frame. The detector reuses one instance and overwrites it
/// on every call: copy what you need to keep before the next frame.
/// </summary>
public sealed class MotionResult
{
    internal readonly List<MotionRegion> RegionList = new(64);

    internal MotionResult(MotionDetector owner) => Owner = owner;

    internal MotionDetector Owner { get; }

    /// <summary>Some region at least MinArea large moved (outside the masks).</summary>
    public bool Motion { get; internal set; }

    /// <summary>Fraction of the unmasked frame covered by the regions that count.</summary>
    public double ChangedFraction { get; internal set; }

    /// <summary>Regions that count, largest first (reused list).</summary>
    public IReadOnlyList<MotionRegion> Regions => RegionList;

    public DateTimeOffset Time { get; internal set; }

    /// <summary>Most of the frame changed at once: taken as a lighting change (lights, exposure, IR switch), not motion.</summary>
    public bool LightingChange { get; internal set; }
}
