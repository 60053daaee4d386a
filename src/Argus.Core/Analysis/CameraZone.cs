using Argus.Core.Geometry;

namespace Argus.Core.Analysis;

/// <summary>What a polygon on a camera is for.</summary>
public enum ZoneKind
{
    /// <summary>A named area that rules refer to ("Shop floor").</summary>
    Zone,
    /// <summary>An area motion analysis ignores (a flag, a busy road outside the fence).</summary>
    Mask,
    /// <summary>An area blacked out wherever video leaves the server (and never stored for privacy-critical cameras).</summary>
    Privacy,
}

public sealed record CameraZone(string Id, string CameraId, string Name, ZoneKind Kind, Polygon Polygon, DateTimeOffset CreatedAt)
{
    public const int MaxNameLength = 60;
    public const int MaxPerCamera = 32;

    public static string KindName(ZoneKind kind) => kind switch { ZoneKind.Mask => "mask", ZoneKind.Privacy => "privacy", _ => "zone" };

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static ZoneKind ParseKind(string? kind) => (kind ?? "zone").Trim().ToLowerInvariant() switch
    {
        "zone" => ZoneKind.Zone,
        "mask" => ZoneKind.Mask,
        "privacy" => ZoneKind.Privacy,
        _ => throw new ArgumentException("kind must be 'zone', 'mask' or 'privacy'."),
    };

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static string ValidateName(string? name)
    {
        var n = name?.Trim();
        if (string.IsNullOrEmpty(n)) throw new ArgumentException("name is required.");
        if (n.Length > MaxNameLength) throw new ArgumentException($"name is longer than {MaxNameLength} characters.");
        if (n.Any(char.IsControl) || n.Contains(',')) throw new ArgumentException("name may not contain control characters or commas.");
        return n;
    }
}

public interface IZoneStore
{
    Task<IReadOnlyList<CameraZone>> ListAsync(string cameraId, CancellationToken ct = default);
    Task<CameraZone?> GetAsync(string cameraId, string zoneId, CancellationToken ct = default);
    Task AddAsync(CameraZone zone, CancellationToken ct = default);
    Task<bool> UpdateAsync(CameraZone zone, CancellationToken ct = default);
    Task<bool> DeleteAsync(string cameraId, string zoneId, CancellationToken ct = default);
}
