namespace Argus.Core.Recording;

/// <summary>One validated recording file in the index. Path is relative to the recordings root.</summary>
public sealed record Segment(long Id, string CameraId, DateTimeOffset Start, DateTimeOffset End, long Bytes, string Path);

public sealed record EvidenceLock(long Id, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string CreatedBy, DateTimeOffset CreatedAt);
