namespace Argus.Core.Alarms;

public enum ArmingMode
{
    Disarmed,
    Armed,
    /// <summary>Armed while the camera's time profile is active.</summary>
    Schedule,
}

/// <summary>A camera's arming: set by the API, the console or MQTT, or left to a time profile.</summary>
public sealed record CameraArming(string CameraId, ArmingMode Mode, string? ProfileId, DateTimeOffset ChangedAt, string ChangedBy)
{
    public static CameraArming Default(string cameraId) => new(cameraId, ArmingMode.Disarmed, null, DateTimeOffset.UnixEpoch, "default");

    public bool IsArmed(DateTimeOffset now, TimeProfile? profile) => Mode switch
    {
        ArmingMode.Armed => true,
        ArmingMode.Schedule => profile?.IsActive(now) ?? false,
        _ => false,
    };

    public static string ModeName(ArmingMode mode) => mode switch { ArmingMode.Armed => "armed", ArmingMode.Schedule => "schedule", _ => "disarmed" };

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static ArmingMode ParseMode(string? mode) => (mode ?? "").Trim().ToLowerInvariant() switch
    {
        "armed" or "arm" or "on" => ArmingMode.Armed,
        "disarmed" or "disarm" or "off" => ArmingMode.Disarmed,
        "schedule" => ArmingMode.Schedule,
        _ => throw new ArgumentException("mode must be 'armed', 'disarmed' or 'schedule'."),
    };
}

public interface IArmingStore
{
    Task<CameraArming> GetAsync(string cameraId, CancellationToken ct = default);
    Task<IReadOnlyList<CameraArming>> ListAsync(CancellationToken ct = default);
    Task SetAsync(CameraArming arming, CancellationToken ct = default);
}
