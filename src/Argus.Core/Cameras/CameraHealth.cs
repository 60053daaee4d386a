namespace Argus.Core.Cameras;

public enum CameraStatus { Offline, Online, Paused }

/// <summary>What the node-local pipeline observes of one camera stream.</summary>
public sealed record CameraHealth(
    CameraStatus Status,
    double Fps,
    double BitrateKbps,
    DateTimeOffset? LastFrameAt,
    int Restarts,
    string? LastError)
{
    public static readonly CameraHealth Unknown = new(CameraStatus.Offline, 0, 0, null, 0, null);
}
