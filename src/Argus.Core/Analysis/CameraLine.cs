using Argus.Core.Geometry;
using Argus.Core.Objects;

namespace Argus.Core.Analysis;

/// <summary>
/// A counting line from A to B in 0..1 frame coordinates. Objects of its classes whose foot point crosses it are
/// counted per direction: "ab" toward the right-hand side of A→B on screen, "ba" the other way. Defining a line turns
/// on object detection for its classes on that camera. With <see cref="SpeedTo"/> and <see cref="DistanceMeters"/>
/// the time between crossing this line and the other gives a speed.
/// </summary>
public sealed record CameraLine
{
    public const int MaxPerCamera = 16;
    public const double MinLength = 0.02;

    public required string Id { get; init; }
    public required string CameraId { get; init; }
    public required string Name { get; init; }
    public required NormPoint A { get; init; }
    public required NormPoint B { get; init; }
    public IReadOnlyList<string> Classes { get; init; } = ObjectClasses.Vehicles;
    /// <summary>Name of a second line on the same camera; crossing both measures speed over <see cref="DistanceMeters"/>.</summary>
    public string? SpeedTo { get; init; }
    public double? DistanceMeters { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public CameraLine Validate()
    {
        var name = CameraZone.ValidateName(Name);
        foreach (var p in new[] { A, B })
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || p.X is < 0 or > 1 || p.Y is < 0 or > 1)
                throw new ArgumentException("line points must be [x, y] with 0 <= x, y <= 1 (fractions of the frame).");
        if (Math.Sqrt(((B.X - A.X) * (B.X - A.X)) + ((B.Y - A.Y) * (B.Y - A.Y))) < MinLength)
            throw new ArgumentException($"the line is too short (its ends must be at least {MinLength} of the frame apart).");
        var classes = ObjectClasses.Validate(Classes, ObjectClasses.Vehicles);
        var to = string.IsNullOrWhiteSpace(SpeedTo) ? null : SpeedTo.Trim();
        if ((to is null) != (DistanceMeters is null)) throw new ArgumentException("speed needs both toLine and meters.");
        if (DistanceMeters is { } m && (!double.IsFinite(m) || m < 1 || m > 1000)) throw new ArgumentException("speed.meters must be between 1 and 1000.");
        if (to is not null && string.Equals(to, name, StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("speed.toLine must name another line.");
        return this with { Name = name, Classes = classes, SpeedTo = to };
    }

    /// <summary>From the API's [[x1, y1], [x2, y2]] form.</summary>
    public static (NormPoint A, NormPoint B) PointsFrom(double[][]? points)
    {
        if (points is null || points.Length != 2 || points.Any(p => p is null || p.Length != 2))
            throw new ArgumentException("points must be [[x1, y1], [x2, y2]] with 0..1 coordinates.");
        return (new NormPoint(points[0][0], points[0][1]), new NormPoint(points[1][0], points[1][1]));
    }
}

public interface ILineStore
{
    Task<IReadOnlyList<CameraLine>> ListAsync(string cameraId, CancellationToken ct = default);
    Task<CameraLine?> GetAsync(string cameraId, string lineId, CancellationToken ct = default);
    Task AddAsync(CameraLine line, CancellationToken ct = default);
    Task<bool> UpdateAsync(CameraLine line, CancellationToken ct = default);
    Task<bool> DeleteAsync(string cameraId, string lineId, CancellationToken ct = default);
}
