using Argus.Core.Cameras;
using Argus.Media.Recording;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster;

/// <summary>Pushes the recorders' online/offline transitions to each camera's grain, which records them as events.</summary>
public sealed class CameraHealthRelay(RecorderHost recorders, IGrainFactory grains, ILogger<CameraHealthRelay> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        recorders.HealthChanged += OnHealthChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        recorders.HealthChanged -= OnHealthChanged;
        return Task.CompletedTask;
    }

    private void OnHealthChanged(string cameraId, CameraHealth health) => _ = RelayAsync(cameraId, health);

    private async Task RelayAsync(string cameraId, CameraHealth health)
    {
        try
        {
            await grains.GetGrain<ICameraGrain>(cameraId).OnHealthChangedAsync(
                health.Status == CameraStatus.Online, health.LastFrameAt, health.LastError);
        }
        catch (Exception e)
        {
            log.LogError(e, "Camera {Camera}: could not record the health change", cameraId);
        }
    }
}
