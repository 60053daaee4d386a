using Argus.Cluster.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Media.Recording;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster;

public sealed class CameraGrain(ICameraStore store, RecorderHost recorders, AnalysisHost analysis, IEventLog events, IEventPublisher publisher,
    TimeProvider clock, ILogger<CameraGrain> log)
    : Grain, ICameraGrain
{
    private CameraConfig? _config;
    private CameraStatus? _status;      // last status written to the event log; null until known
    private DateTimeOffset? _statusSince;
    private long? _openOfflineEvent;
    private IGrainTimer? _timer;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        var open = await events.FindOpenAsync(Id, EventTypes.CameraOffline, ct);
        if (open is not null)
        {
            _openOfflineEvent = open.Id;
            _status = CameraStatus.Offline;
            _statusSince = open.Start;
        }
        await ApplyAsync();
        // Health arrives pushed from the recorder; this slow timer keeps the grain (and so its recorder) alive.
        _timer = this.RegisterGrainTimer(KeepRecordingAsync,
            new GrainTimerCreationOptions { DueTime = TimeSpan.FromMinutes(1), Period = TimeSpan.FromMinutes(1), KeepAlive = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        _timer?.Dispose();
        await analysis.StopAsync(Id);
        await recorders.StopAsync(Id);
    }

    public async Task ApplyAsync()
    {
        _config = await store.GetAsync(Id);
        if (_config is null)
        {
            await RemoveAsync();
            return;
        }
        await analysis.EnsureAsync(_config);
        if (_config.Paused)
        {
            await recorders.StopAsync(Id);
            await TransitionAsync(CameraStatus.Paused, null, null);
        }
        else
        {
            await recorders.EnsureRecordingAsync(_config);
            if (_status == CameraStatus.Paused) _status = null;
        }
    }

    public async Task RemoveAsync()
    {
        _config = null;
        _timer?.Dispose();
        await analysis.StopAsync(Id);
        await recorders.StopAsync(Id);
        if (_openOfflineEvent is { } id) await events.CloseAsync(id, clock.GetUtcNow());
        DeactivateOnIdle();
    }

    public Task<CameraStatusView> GetStatusAsync()
    {
        if (_config is { Paused: true })
            return Task.FromResult(new CameraStatusView("paused", 0, 0, null, 0, null, _statusSince, AnalysisStatus()));
        var h = recorders.Health(Id) ?? CameraHealth.Unknown;
        return Task.FromResult(new CameraStatusView(h.Status == CameraStatus.Online ? "online" : "offline",
            h.Fps, h.BitrateKbps, h.LastFrameAt, h.Restarts, h.LastError, _statusSince, AnalysisStatus()));
    }

    private AnalysisStatusView AnalysisStatus()
    {
        if (analysis.Get(Id) is not { Feed: var feed } analyzer) return new AnalysisStatusView("off", 0, null, 0, null);
        var objects = analyzer.Objects is { } o ? new ObjectStatusView("on", o.Classes, o.Counters.Detected, o.Counters.Dropped, o.LiveTracks, null)
            : analyzer.ObjectsError is { } error ? new ObjectStatusView("unavailable", [], 0, 0, 0, error)
            : new ObjectStatusView("off", [], 0, 0, 0, null);
        return new AnalysisStatusView(feed.Receiving ? "receiving" : "waiting", feed.Frames, feed.LastFrame, feed.Restarts, feed.LastError, objects);
    }

    public Task OnHealthChangedAsync(bool online, DateTimeOffset? lastFrameAt, string? reason) =>
        _config is null or { Paused: true } ? Task.CompletedTask
        : TransitionAsync(online ? CameraStatus.Online : CameraStatus.Offline, lastFrameAt, reason);

    /// <summary>Safety net: a camera that should be recording always has a recorder on this node.</summary>
    private async Task KeepRecordingAsync(CancellationToken ct)
    {
        if (_config is { Paused: false } && recorders.Health(Id) is null) await recorders.EnsureRecordingAsync(_config);
    }

    private void Publish(EventChange change, CameraEvent e) => publisher.Publish(change, e, _config?.Name, null);

    /// <summary>Writes offline/online transitions as events so every gap in the recordings is explained.</summary>
    private async Task TransitionAsync(CameraStatus next, DateTimeOffset? lastFrameAt, string? reason)
    {
        if (_status == next) return;
        var now = clock.GetUtcNow();
        switch (next)
        {
            case CameraStatus.Online:
                if (_openOfflineEvent is { } open)
                {
                    await events.CloseAsync(open, now);
                    Publish(EventChange.End, new CameraEvent(open, Id, EventTypes.CameraOffline, _statusSince ?? now, now, null));
                }
                _openOfflineEvent = null;
                var online = await events.AddAsync(Id, EventTypes.CameraOnline, now, now);
                Publish(EventChange.New, new CameraEvent(online, Id, EventTypes.CameraOnline, now, now, null));
                log.LogInformation("Camera {Camera} is online", Id);
                break;
            case CameraStatus.Offline:
                // The gap starts at the last frame seen, not when we noticed it.
                var since = _status == CameraStatus.Online && lastFrameAt is { } last ? last : now;
                _openOfflineEvent = await events.AddAsync(Id, EventTypes.CameraOffline, since, null, reason);
                Publish(EventChange.New, new CameraEvent(_openOfflineEvent.Value, Id, EventTypes.CameraOffline, since, null, reason));
                log.LogWarning("Camera {Camera} is offline: {Reason}", Id, reason ?? "no frames");
                now = since;
                break;
            case CameraStatus.Paused:
                if (_openOfflineEvent is { } o) await events.CloseAsync(o, now);
                _openOfflineEvent = null;
                break;
        }
        _status = next;
        _statusSince = now;
    }
}
