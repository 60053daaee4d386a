using Argus.Core.Objects;
using Argus.Vision.Detection;

namespace Argus.Cluster.Analysis;

/// <summary>
/// A person on a motorcycle or bicycle is one road user: the detector reports the rider as a person (often surer
/// than of the small two-wheeler under them), and counting both would count a pedestrian who is not there and, when
/// the two-wheeler itself is weak, miss the vehicle. Each rider is folded into the two-wheeler they sit on: one box
/// around both, the vehicle's class, the better of the two scores.
/// </summary>
public static class Riders
{
    private static readonly int Person = ObjectClasses.IdOf("person");
    private static readonly int Motorcycle = ObjectClasses.IdOf("motorcycle");
    private static readonly int Bicycle = ObjectClasses.IdOf("bicycle");

    /// <summary>A two-wheeler this weak still carries its rider (the detector's floor is lower).</summary>
    public const float MinWheels = 0.1f;

    public static IReadOnlyList<DetectedObject> Merge(IReadOnlyList<DetectedObject> detections)
    {
        List<DetectedObject>? result = null;
        for (var w = 0; w < detections.Count; w++)
        {
            var wheels = detections[w];
            if (wheels.ClassId != Motorcycle && wheels.ClassId != Bicycle || wheels.Score < MinWheels) continue;
            var best = -1;
            var bestScore = 0.0;
            for (var p = 0; p < detections.Count; p++)
            {
                var person = detections[p];
                if (person.ClassId != Person || !Rides(person.Box, wheels.Box)) continue;
                if (person.Score > bestScore) { best = p; bestScore = person.Score; }
            }
            if (best < 0) continue;
            result ??= [.. detections];
            var rider = detections[best];
            var box = NormBox.FromCorners(Math.Min(rider.Box.X, wheels.Box.X), Math.Min(rider.Box.Y, wheels.Box.Y),
                Math.Max(rider.Box.Right, wheels.Box.Right), Math.Max(rider.Box.Bottom, wheels.Box.Bottom));
            result[w] = wheels with { Score = Math.Max(wheels.Score, rider.Score), Box = box };
            result[best] = rider with { Score = -1 }; // folded in
        }
        return result is null ? detections : result.Where(d => d.Score >= 0).ToList();
    }

    /// <summary>The person's box overlaps the two-wheeler's and its centre is above the wheels' bottom, within their width.</summary>
    private static bool Rides(NormBox person, NormBox wheels)
    {
        var w = Math.Min(person.Right, wheels.Right) - Math.Max(person.X, wheels.X);
        var h = Math.Min(person.Bottom, wheels.Bottom) - Math.Max(person.Y, wheels.Y);
        if (w <= 0 || h <= 0) return false;
        var overlap = w * h / Math.Min(person.Area, wheels.Area);
        return overlap >= 0.4 && person.CenterX >= wheels.X && person.CenterX <= wheels.Right && person.CenterY <= wheels.Bottom;
    }
}
