namespace Argus.Notify;

/// <summary>Delivery tuning (configuration section "Notifications"); the defaults are the product's.</summary>
public sealed class NotificationOptions
{
    /// <summary>Tries per delivery, the first included; with the delays below six tries span about 31 s.</summary>
    public int MaxAttempts { get; set; } = 6;
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Deliveries waiting per target; beyond it new ones are logged as failed (a dead target cannot eat memory).</summary>
    public int QueueCapacity { get; set; } = 1000;
    /// <summary>Per HTTP request (webhook, SMS gateway).</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Longest wait between MQTT reconnect attempts (they start at 0.5 s and double).</summary>
    public TimeSpan MqttReconnectMax { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);
    /// <summary>IANA time zone for times in e-mail and SMS text; the machine's when null.</summary>
    public string? TimeZone { get; set; }

    public TimeSpan RetryDelay(int failedAttempts)
    {
        var ms = FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxRetryDelay.TotalMilliseconds));
    }
}
