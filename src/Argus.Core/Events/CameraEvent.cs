namespace Argus.Core.Events;

public static class EventTypes
{
    public const string CameraOffline = "camera.offline";
    public const string CameraOnline = "camera.online";
    public const string StorageLow = "storage.low";
    /// <summary>Argus itself was not running (stopped or crashed): a gap in every camera's recordings.</summary>
    public const string ServerDown = "server.down";
}

public sealed record CameraEvent(long Id, string? CameraId, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail);
