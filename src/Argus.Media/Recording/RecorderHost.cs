using System.Collections.Concurrent;
using Argus.Core.Cameras;
using Argus.Media.Ffmpeg;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Media.Recording;

/// <summary>The node-local recording pipelines: one <see cref="CameraRecorder"/> per recorded camera.</summary>
public sealed class RecorderHost(
    RecordingLayout layout,
    SegmentFinalizer finalizer,
    IOptions<FfmpegOptions> ffmpeg,
    IOptions<RecorderTuning> tuning,
    RecordingMetrics metrics,
    ILoggerFactory logs,
    TimeProvider clock) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CameraRecorder> _recorders = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Starts recording the camera, or restarts it if its source changed; a no-op when already recording it.</summary>
    public async Task EnsureRecordingAsync(CameraConfig camera)
    {
        await _gate.WaitAsync();
        try
        {
            if (_recorders.TryGetValue(camera.Id, out var existing))
            {
                if (existing.Source == camera.Main && existing.Transport == camera.Transport) return;
                _recorders.TryRemove(camera.Id, out _);
                await existing.DisposeAsync();
            }
            var recorder = new CameraRecorder(camera.Id, camera.Main, camera.Transport, layout, finalizer, ffmpeg.Value, tuning.Value,
                metrics, logs.CreateLogger($"Argus.Media.Recording.Camera.{camera.Id}"), clock);
            _recorders[camera.Id] = recorder;
            recorder.Start();
        }
        finally { _gate.Release(); }
    }

    public async Task StopAsync(string cameraId)
    {
        if (_recorders.TryRemove(cameraId, out var recorder))
            await recorder.DisposeAsync();
    }

    public CameraHealth? Health(string cameraId) => _recorders.TryGetValue(cameraId, out var r) ? r.Health : null;

    public IReadOnlyCollection<string> Recording => _recorders.Keys.ToArray();

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_recorders.Keys.ToArray().Select(StopAsync));
    }
}
