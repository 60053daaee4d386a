namespace Argus.Core.Events;

public static class EventTypes
{
    public const string CameraOffline = "camera.offline";
    public const string CameraOnline = "camera.online";
    public const string StorageLow = "storage.low";
}

public sealed record CameraEvent(long Id, string? CameraId, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail);
