namespace Argus.Core.Notifications;

/// <summary>Arming requests from outside (MQTT <c>argus/armed/set</c>, <c>argus/&lt;camera&gt;/armed/set</c>).</summary>
public interface IArmingCommands
{
    /// <param name="cameraId">null arms or disarms the whole system.</param>
    /// <param name="source">who asked, for the audit log, e.g. "mqtt".</param>
    Task SetArmedAsync(string? cameraId, bool armed, string source);
}

/// <summary>Where the analysis hands alerts for delivery. Must not block: it only routes and enqueues.</summary>
public interface IAlertPublisher
{
    void Publish(AlertEvent alert);
}
