using Argus.Core.Geometry;
using Argus.Core.Objects;

namespace Argus.Core.Analysis;

/// <summary>
/// Object detection for one camera. Off until asked for: a counting line or an object rule turns it on for their
/// classes, or <see cref="Enabled"/> for the classes here. Detection runs only where motion is, at most
/// <see cref="Fps"/> times a second, unless <see cref="EveryFrame"/> (cameras whose objects move little, or counts
/// that must not miss a frame).
/// </summary>
public sealed record ObjectSettings
{
    public bool Enabled { get; init; }
    public IReadOnlyList<string> Classes { get; init; } = ObjectClasses.Default;
    public double Fps { get; init; } = 5;
    public bool EveryFrame { get; init; }
    /// <summary>
    /// How a look at the whole frame is made. 2 (default): two overlapping tiles of the model's size at full
    /// resolution, which finds smaller, farther objects (a scooter across a road) for twice the detector time on
    /// frames where motion is too spread for one crop. 1: the whole frame letterboxed into the model at once.
    /// </summary>
    public int Tiles { get; init; } = 2;
    /// <summary>Detections at least this sure start a track (weaker ones only extend tracks).</summary>
    public double MinScore { get; init; } = 0.3;
    /// <summary>Ground-plane calibration: four image points (0..1) and where they are on the ground, in metres.</summary>
    public GroundCalibration? Calibration { get; init; }

    public static readonly ObjectSettings Default = new();

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public ObjectSettings Validate()
    {
        if (!double.IsFinite(Fps) || Fps < 0.2 || Fps > 15) throw new ArgumentException("analysis.objects.fps must be between 0.2 and 15.");
        if (Tiles is < 1 or > 2) throw new ArgumentException("analysis.objects.tiles must be 1 or 2.");
        if (!double.IsFinite(MinScore) || MinScore < 0.05 || MinScore > 0.95) throw new ArgumentException("analysis.objects.minScore must be between 0.05 and 0.95.");
        return this with { Classes = ObjectClasses.Validate(Classes, ObjectClasses.Default), Calibration = Calibration?.Validate() };
    }
}

/// <summary>Four reference points seen in the picture (0..1) and their positions on the ground plane in metres.</summary>
public sealed record GroundCalibration(double[][] Image, double[][] Ground)
{
    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public GroundCalibration Validate()
    {
        if (Image is not { Length: 4 } || Ground is not { Length: 4 } || Image.Any(p => p is not { Length: 2 }) || Ground.Any(p => p is not { Length: 2 }))
            throw new ArgumentException("calibration needs image and ground, four [x, y] points each.");
        if (Image.Any(p => !double.IsFinite(p[0]) || !double.IsFinite(p[1]) || p[0] is < 0 or > 1 || p[1] is < 0 or > 1))
            throw new ArgumentException("calibration image points must be within 0..1 of the frame.");
        if (Ground.Any(p => !double.IsFinite(p[0]) || !double.IsFinite(p[1]) || Math.Abs(p[0]) > 10000 || Math.Abs(p[1]) > 10000))
            throw new ArgumentException("calibration ground points must be finite, in metres.");
        return this;
    }

    public IReadOnlyList<NormPoint> ImagePoints => [.. Image.Select(p => new NormPoint(p[0], p[1]))];
}
