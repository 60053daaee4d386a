using Argus.Core.Notifications;
using Argus.Notify.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Argus.Notify;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Channels, the dispatcher (hosted; also <see cref="IAlertPublisher"/>) and options. Needs the stores
    /// (<see cref="INotificationTargetStore"/>, <see cref="INotificationSettingsStore"/>, <see cref="IDeliveryLog"/>);
    /// <see cref="IArmingCommands"/> is used when registered.
    /// </summary>
    public static IServiceCollection AddArgusNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotifyHttp>();
        services.AddSingleton<WebhookChannel>();
        services.AddSingleton<EmailChannel>();
        services.AddSingleton<SmsChannel>();
        services.AddSingleton<MqttChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<WebhookChannel>());
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<EmailChannel>());
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<SmsChannel>());
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<MqttChannel>());
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<IAlertPublisher>(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }
}
