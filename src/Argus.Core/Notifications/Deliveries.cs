namespace Argus.Core.Notifications;

/// <summary>One alert state to one target: what was sent, when, how often tried, and what failed.</summary>
public sealed record DeliveryRecord(
    long Id,
    string TargetId,
    string TargetName,
    ChannelKind Kind,
    long EventId,
    string EventType,
    string State,
    DateTimeOffset Queued,
    DateTimeOffset? Sent,
    int Attempts,
    string Status,
    string? Error,
    double? LatencyMs);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
    public const string Deduplicated = "deduplicated";
    public const string RateLimited = "rate-limited";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Retrying, Failed, Deduplicated, RateLimited];
}

public sealed record DeliveryQuery(string? TargetId = null, string? Status = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 100);

public interface IDeliveryLog
{
    /// <returns>the new record's id.</returns>
    Task<long> AddAsync(DeliveryRecord record, CancellationToken ct = default);
    /// <summary>Updates status, attempts, sent time, error and latency of the record with <c>record.Id</c>.</summary>
    Task UpdateAsync(DeliveryRecord record, CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> QueryAsync(DeliveryQuery query, CancellationToken ct = default);
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct = default);
}

public interface INotificationTargetStore
{
    Task<IReadOnlyList<NotificationTarget>> ListAsync(CancellationToken ct = default);
    Task<NotificationTarget?> GetAsync(string id, CancellationToken ct = default);
    Task AddAsync(NotificationTarget target, CancellationToken ct = default);
    Task<bool> UpdateAsync(NotificationTarget target, CancellationToken ct = default);
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
