namespace Argus.Cli.Api;

/// <summary>A successful answer: the parsed value and the body exactly as the server sent it (for <c>--json</c>).</summary>
public sealed record Reply<T>(T Value, string Json);

public sealed record TokenReply(string Token, DateTimeOffset Expires);

public sealed record Camera(
    string Id, string Name, string MainUrl, string? SubUrl, string? Transport, string? Location, string? Description,
    bool Paused, double? RetentionDays, bool HasCredentials, DateTimeOffset CreatedAt,
    string? Status, double Fps, double BitrateKbps, DateTimeOffset? LastFrameAt, int Restarts, string? LastError, DateTimeOffset? StatusSince);

/// <summary>Create or change a camera; null fields are not sent (so they stay as they are), empty strings clear.</summary>
public sealed record CameraRequest
{
    public string? Name { get; init; }
    public string? MainUrl { get; init; }
    public string? SubUrl { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Transport { get; init; }
    public string? Location { get; init; }
    public string? Description { get; init; }
    public bool? Paused { get; init; }
    public double? RetentionDays { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => this == new CameraRequest();

    /// <summary>Never show the password, not even in a debugger or a log line.</summary>
    public override string ToString() => $"CameraRequest {{ Name = {Name}, MainUrl = {MainUrl}, Password = {(Password is null ? "null" : "***")} }}";
}

public sealed record CreatedId(string Id);

public sealed record Recording(DateTimeOffset Start, DateTimeOffset End, long Bytes);

public sealed record ArgusEvent(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail);

public sealed record EventFilter(string? Camera = null, string? Type = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int? Limit = null);

public sealed record EvidenceLock(long Id, string? CameraId, DateTimeOffset From, DateTimeOffset To, string? Reason, string? CreatedBy, DateTimeOffset? CreatedAt);

public sealed record StorageInfo(long RecordingsBytes, long FreeBytes, long TotalBytes);

/// <summary>Told how a download goes: once with the size (null when the server did not say), then per chunk.</summary>
public interface IDownloadProgress
{
    void Started(long? totalBytes);
    void Advanced(long bytesSoFar);
}

public sealed record ExportResult(string Path, long Bytes, string? SuggestedFileName);
