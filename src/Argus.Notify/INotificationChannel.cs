using Argus.Core.Notifications;

namespace Argus.Notify;

/// <summary>Sends one alert to one target, once; the dispatcher owns retries, de-duplication and logging.</summary>
public interface INotificationChannel
{
    ChannelKind Kind { get; }

    /// <param name="deliveryId">the delivery log id (stable across retries, so receivers can drop repeats).</param>
    Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertEvent alert, long deliveryId, CancellationToken ct);
}
