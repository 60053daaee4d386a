namespace Argus.Data.Entities;

public sealed class NotificationTargetRow
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    /// <summary>JSON: routing (events, cameras, rules) and the kind's settings without its secret.</summary>
    public required string Json { get; set; }
    /// <summary>Encrypted (ISecretProtector): the webhook secret; null for kinds without one.</summary>
    public string? Secret { get; set; }
    public bool Enabled { get; set; }
    public long CreatedAtMs { get; set; }
}

/// <summary>One row per channel (smtp, mqtt, sms): settings as JSON without secrets, secrets encrypted apart.</summary>
public sealed class NotificationSettingRow
{
    public required string Channel { get; set; }
    public required string Json { get; set; }
    public string? Secret { get; set; }
}

public sealed class DeliveryRow
{
    public long Id { get; set; }
    public required string TargetId { get; set; }
    public required string TargetName { get; set; }
    public required string Kind { get; set; }
    public long EventId { get; set; }
    public required string EventType { get; set; }
    public required string State { get; set; }
    public long QueuedMs { get; set; }
    public long? SentMs { get; set; }
    public int Attempts { get; set; }
    public required string Status { get; set; }
    public string? Error { get; set; }
    public double? LatencyMs { get; set; }
}
