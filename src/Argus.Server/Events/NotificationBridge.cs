using Argus.Analytics.Arming;
using Argus.Cluster.Analysis;
using Argus.Core.Alarms;
using Argus.Core.Audit;
using Argus.Core.Events;
using Argus.Core.Notifications;
using Argus.Notify.Channels;

namespace Argus.Server.Events;

/// <summary>Hands every published event to the notification dispatcher, in the shape notifications carry.</summary>
public sealed class NotificationSubscriber(IAlertPublisher alerts, EventSnapshots snapshots) : IEventSubscriber
{
    public void OnEvent(string state, CameraEvent e, string? cameraName, string? snapshotPath)
    {
        // A new analysis event is published before its snapshot is taken; mail waits briefly for the file (see EmailChannel).
        if (snapshotPath is null && state == "new" && e.CameraId is not null && e.Type is EventTypes.Motion or EventTypes.Alarm or EventTypes.Tamper)
            snapshotPath = snapshots.PathOf(e.CameraId, e.Id);
        var dto = EventDto.From(e);
        alerts.Publish(new AlertEvent(e.Id, e.Type, state, e.CameraId, cameraName, e.Start, e.End, e.Zones, e.PeakArea, e.Rule, e.Detail,
            snapshotPath, dto.SnapshotUrl, dto.ClipUrl));
    }
}

/// <summary>
/// Arming from MQTT (<c>argus/armed/set</c>, <c>argus/CAMERA/armed/set</c>), audited like any other arming, and the
/// armed state published back whenever it changes, whoever changed it.
/// </summary>
public sealed class ArmingBridge(ArmingService arming, Argus.Core.Cameras.ICameraStore cameras, IAuditLog audit, MqttChannel mqtt,
    ILogger<ArmingBridge> log) : IArmingCommands, IHostedService
{
    public async Task SetArmedAsync(string? cameraId, bool armed, string source)
    {
        var ids = cameraId is null ? (await cameras.ListAsync()).Select(c => c.Id).ToList() : [cameraId];
        if (cameraId is not null && await cameras.GetAsync(cameraId) is null)
        {
            log.LogWarning("Arming request from {Source} for unknown camera {Camera} ignored", source, cameraId);
            return;
        }
        foreach (var id in ids)
        {
            await arming.SetAsync(id, armed ? ArmingMode.Armed : ArmingMode.Disarmed, null, source);
            await audit.AppendAsync(source, null, AuditActions.Arm, id, true, $"mode={(armed ? "armed" : "disarmed")}");
        }
    }

    private readonly Dictionary<string, bool> _published = [];
    private Timer? _scheduleWatch;

    private void OnChanged(string cameraId, bool armed, string by)
    {
        lock (_published) _published[cameraId] = armed;
        mqtt.PublishArmedAsync(cameraId, armed).ContinueWith(t => log.LogWarning(t.Exception, "Publishing arming of {Camera} failed", cameraId),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>A schedule arms and disarms without anyone asking: publish its boundaries too.</summary>
    private async Task WatchSchedulesAsync()
    {
        foreach (var camera in await cameras.ListAsync())
        {
            var armed = arming.IsArmed(camera.Id);
            bool changed;
            lock (_published) changed = !_published.TryGetValue(camera.Id, out var last) || last != armed;
            if (changed) OnChanged(camera.Id, armed, "schedule");
        }
    }

    public Task StartAsync(CancellationToken ct)
    {
        arming.Changed += OnChanged;
        _scheduleWatch = new Timer(_ => WatchSchedulesAsync().ContinueWith(t => log.LogWarning(t.Exception, "Arming watch failed"),
            TaskContinuationOptions.OnlyOnFaulted), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        arming.Changed -= OnChanged;
        _scheduleWatch?.Dispose();
        return Task.CompletedTask;
    }
}
