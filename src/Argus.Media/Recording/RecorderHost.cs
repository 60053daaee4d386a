using System.Collections.Concurrent;
using Argus.Core.Cameras;
using Argus.Core.Privacy;
using Argus.Media.Ffmpeg;
using Argus.Media.Live;
using Argus.Media.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Media.Recording;

/// <summary>
/// The node-local recording pipelines: one <see cref="CameraRecorder"/> per recorded camera, all driven by one
/// once-a-second tick (segment collection, watchdog, health transitions).
/// </summary>
public sealed class RecorderHost : IAsyncDisposable
{
    /// <summary>A camera that never came up is reported offline after this long, not at its first tick.</summary>
    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(10);

    private readonly RecordingLayout _layout;
    private readonly SegmentFinalizer _finalizer;
    private readonly IOptions<FfmpegOptions> _ffmpeg;
    private readonly IOptions<RecorderTuning> _tuning;
    private readonly RecordingMetrics _metrics;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly StorageGate _storage;
    private readonly ICameraPrivacy _privacy;
    private readonly ConcurrentDictionary<string, Entry> _recorders = new();
    // A channel outlives recorder restarts (new source) and ffmpeg restarts; it closes when recording stops.
    private readonly ConcurrentDictionary<string, LiveChannel> _live = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ticker;

    private sealed class Entry(CameraRecorder recorder)
    {
        public CameraRecorder Recorder { get; } = recorder;
        public CameraStatus? Reported { get; set; }
    }

    public RecorderHost(RecordingLayout layout, SegmentFinalizer finalizer, IOptions<FfmpegOptions> ffmpeg, IOptions<RecorderTuning> tuning,
        RecordingMetrics metrics, ILoggerFactory logs, TimeProvider clock, StorageGate storage, ICameraPrivacy? privacy = null)
    {
        (_layout, _finalizer, _ffmpeg, _tuning, _metrics, _logs, _clock, _storage) = (layout, finalizer, ffmpeg, tuning, metrics, logs, clock, storage);
        _privacy = privacy ?? new NoCameraPrivacy();
        _log = logs.CreateLogger<RecorderHost>();
        _ticker = Task.Run(TickAsync);
    }

    /// <summary>Raised from the tick when a camera goes online or offline (health says why).</summary>
    public event Action<string, CameraHealth>? HealthChanged;

    /// <summary>
    /// Starts recording the camera, or restarts it if its source or privacy settings changed; a no-op when already
    /// recording it so. Call it again when the camera's privacy masks change.
    /// </summary>
    public async Task EnsureRecordingAsync(CameraConfig camera)
    {
        await _gate.WaitAsync();
        try
        {
            var privacy = await _privacy.ForCameraAsync(camera.Id);
            if (_recorders.TryGetValue(camera.Id, out var existing))
            {
                if (existing.Recorder.Source == camera.Main && existing.Recorder.Transport == camera.Transport
                    && existing.Recorder.Privacy.SameAs(privacy)) return;
                _recorders.TryRemove(camera.Id, out _);
                await existing.Recorder.DisposeAsync();
            }
            var recorder = new CameraRecorder(camera.Id, camera.Main, camera.Transport, _layout, _finalizer, _ffmpeg.Value, _tuning.Value,
                _metrics, _logs.CreateLogger($"Argus.Media.Recording.Camera.{camera.Id}"), _clock, _storage,
                // With live off the recorder's channel is never fed nor listed: live requests get "not available".
                _tuning.Value.Live ? _live.GetOrAdd(camera.Id, id => new LiveChannel(id)) : new LiveChannel(camera.Id), privacy);
            _recorders[camera.Id] = new Entry(recorder);
            recorder.Start();
        }
        finally { _gate.Release(); }
    }

    public async Task StopAsync(string cameraId)
    {
        if (_recorders.TryRemove(cameraId, out var entry))
            await entry.Recorder.DisposeAsync();
        if (_live.TryRemove(cameraId, out var channel)) channel.Close(); // viewers learn the camera stopped
    }

    public CameraHealth? Health(string cameraId) => _recorders.TryGetValue(cameraId, out var e) ? e.Recorder.Health : null;

    public IReadOnlyCollection<string> Recording => _recorders.Keys.ToArray();

    /// <summary>
    /// The camera's live channel while this node records it, else null (paused, deleted, recorded elsewhere).
    /// While its ffmpeg is not running (camera offline, restart backoff) the channel has no init and viewers wait.
    /// </summary>
    public LiveChannel? Live(string cameraId) => _live.TryGetValue(cameraId, out var c) ? c : null;

    /// <summary>All live channels, for metrics.</summary>
    public IReadOnlyCollection<LiveChannel> LiveChannels => _live.Values.ToArray();

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = _clock.GetUtcNow();
                foreach (var (id, entry) in _recorders)
                {
                    try
                    {
                        entry.Recorder.Tick();
                        var health = entry.Recorder.Health;
                        var changed = health.Status == CameraStatus.Online
                            ? entry.Reported != CameraStatus.Online
                            : entry.Reported == CameraStatus.Online || (entry.Reported is null && now - entry.Recorder.StartedAt > StartupGrace);
                        if (!changed) continue;
                        entry.Reported = health.Status;
                        HealthChanged?.Invoke(id, health);
                    }
                    catch (Exception e)
                    {
                        _log.LogError(e, "Camera {Camera}: tick failed", id);
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_recorders.Keys.ToArray().Select(StopAsync));
        await _ticker;
    }
}
