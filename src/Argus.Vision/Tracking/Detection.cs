using Argus.Core.Objects;

namespace Argus.Vision.Tracking;

/// <summary>One detector output for a frame: class name (COCO), confidence 0..1 and box in normalised frame coordinates.</summary>
public readonly record struct Detection(string Class, double Score, NormBox Box)
{
    /// <exception cref="ArgumentOutOfRangeException">for an id outside the COCO list.</exception>
    public static Detection FromClassId(int classId, double score, NormBox box)
    {
        if (classId < 0 || classId >= ObjectClasses.Coco.Count) throw new ArgumentOutOfRangeException(nameof(classId));
        return new Detection(ObjectClasses.Coco[classId], score, box);
    }
}

/// <summary>
/// Where detection ran on a frame: the whole frame, nothing (motion only, no detector pass), or crops around motion.
/// A track is only counted as missed where it was looked for.
/// </summary>
public sealed class ObservedRegion
{
    private readonly NormBox[] _crops;

    private ObservedRegion(NormBox[] crops, bool full)
    {
        _crops = crops;
        IsFull = full;
    }

    public static ObservedRegion Full { get; } = new([], true);
    public static ObservedRegion None { get; } = new([], false);
    public static ObservedRegion Crops(params IReadOnlyList<NormBox> crops) => crops.Count == 0 ? None : new([.. crops], false);

    public bool IsFull { get; }
    public IReadOnlyList<NormBox> CropBoxes => _crops;

    /// <summary>Largest fraction of the box inside one crop (crops are not unioned: a box split across two crops is cut in both).</summary>
    public double Coverage(NormBox box)
    {
        if (IsFull) return 1;
        var area = box.Area;
        if (area <= 0) return 0;
        double best = 0;
        foreach (var c in _crops)
        {
            var w = Math.Min(box.Right, c.Right) - Math.Max(box.X, c.X);
            var h = Math.Min(box.Bottom, c.Bottom) - Math.Max(box.Y, c.Y);
            if (w > 0 && h > 0) best = Math.Max(best, w * h / area);
        }
        return best;
    }
}
