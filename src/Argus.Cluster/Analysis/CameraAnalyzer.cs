using System.Threading.Channels;
using Argus.Analytics.Arming;
using Argus.Analytics.Rules;
using Argus.Core.Alarms;
using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Media.Analysis;
using Argus.Media.Ffmpeg;
using Argus.Vision.Motion;
using Argus.Vision.Tamper;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster.Analysis;

/// <summary>
/// One camera's analysis: decoded gray frames in (on the feed's thread), motion, zones, rules and tamper evaluated
/// per frame without allocating, and the rare transitions handed to a worker that stores events, takes snapshots and
/// publishes them. A slow database or notifier therefore never holds up the frames.
/// </summary>
public sealed class CameraAnalyzer : IFrameSink, IAsyncDisposable
{
    private readonly CameraConfig _camera;
    private readonly AnalysisServices _services;
    private readonly ILogger _log;
    private readonly MotionDetector _motion;
    private readonly MotionEventTracker _tracker;
    private readonly TamperDetector? _tamper;
    private readonly RuleEngine _rules;
    private readonly string[] _zoneNames;
    private readonly ZoneMeter[] _zoneMeters;
    private readonly double[] _coverage;
    private readonly bool[] _motionZones; // zones touched by the current motion event
    private double _motionPeak;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _worker;
    private readonly AnalysisFeed _feed;

    /// <summary>Zone coverage that counts as "motion in the zone" for motion events (rules have their own threshold).</summary>
    private const double ZoneTouch = 0.01;

    private abstract record Work;
    private sealed record MotionStarted(DateTimeOffset Start, double Area) : Work;
    private sealed record MotionZones(string[] Zones, double Peak) : Work;
    private sealed record MotionEnded(DateTimeOffset End, string[] Zones, double Peak) : Work;
    private sealed record Alarm(RuleTransition Transition) : Work;
    private sealed record Tamper(TamperKind Kind, bool Started, DateTimeOffset Time) : Work;

    private readonly ObjectAnalyzer? _objects;
    private readonly string? _objectsError;

    public CameraAnalyzer(CameraConfig camera, IReadOnlyList<CameraZone> zones, IReadOnlyList<AlarmRule> rules, ObjectPlan? objects, AnalysisServices services)
    {
        _camera = camera;
        _services = services;
        _log = services.Logs.CreateLogger($"Argus.Analysis.{camera.Id}");
        var a = camera.Analysis;
        _motion = new MotionDetector(AnalysisSettings.Width, AnalysisSettings.Height, new MotionSettings { Sensitivity = a.Sensitivity, MinArea = a.MinArea });
        _motion.SetMasks(zones.Where(z => z.Kind is ZoneKind.Mask or ZoneKind.Privacy).Select(z => z.Polygon));
        var named = zones.Where(z => z.Kind == ZoneKind.Zone).ToList();
        _zoneNames = [.. named.Select(z => z.Name)];
        _zoneMeters = [.. named.Select(z => _motion.CreateZoneMeter(z.Polygon))];
        _coverage = new double[named.Count];
        _motionZones = new bool[named.Count];
        _tracker = new MotionEventTracker(MotionEventTracker.DefaultMinDuration, TimeSpan.FromSeconds(a.QuietSeconds));
        _tamper = a.Tamper ? new TamperDetector(AnalysisSettings.Width, AnalysisSettings.Height) : null;
        _rules = new RuleEngine(rules, _zoneNames, TimeSpan.FromSeconds(a.QuietSeconds), TimeSpan.FromSeconds(2.5 / a.Fps));
        _worker = Task.Run(WorkAsync);
        if (objects is not null)
        {
            if (services.Detector.Service is { } detector)
                _objects = new ObjectAnalyzer(camera, objects, detector, new StoredObjectEvents(services, camera.Name, _log), services.Clock,
                    services.Logs.CreateLogger($"Argus.Objects.{camera.Id}"), AnalysisSettings.Width, AnalysisSettings.Height);
            else
                _objectsError = services.Detector.Error;
        }
        var source = camera.Sub ?? camera.Main;
        _feed = new AnalysisFeed(new AnalysisFeedOptions
        {
            InputArgs = [.. RecordCommand.InputOptions(source, camera.Transport), "-i", source.WithCredentials()],
            Width = AnalysisSettings.Width,
            Height = AnalysisSettings.Height,
            Fps = a.Fps,
            FfmpegPath = services.FfmpegPath,
            Color = _objects is not null,
        }, this, _log);
    }

    public string CameraId => _camera.Id;
    public CameraConfig Camera => _camera;
    public AnalysisFeed Feed => _feed;
    public ObjectAnalyzer? Objects => _objects;
    /// <summary>Why objects are asked for but not analysed (the detector's model failed to load).</summary>
    public string? ObjectsError => _objectsError;

    public IReadOnlyList<Core.Analysis.LineCount>? PendingCounts() => _objects?.PendingCounts();

    public void Start() => _feed.Start();

    public void OnFrame(ReadOnlySpan<byte> gray, int width, int height, DateTimeOffset time)
    {
        var r = _motion.Process(gray, time);
        for (var i = 0; i < _zoneMeters.Length; i++) _coverage[i] = r.Motion ? _zoneMeters[i].Coverage(r) : 0;

        var area = r.Motion ? r.ChangedFraction : 0;
        switch (_tracker.Update(r.Motion, area, time))
        {
            case { Kind: MotionTransitionKind.Started } t:
                Array.Clear(_motionZones);
                _motionPeak = area;
                MarkZones(out _);
                _work.Writer.TryWrite(new MotionStarted(t.Start, area));
                break;
            case { Kind: MotionTransitionKind.Ended } t:
                _work.Writer.TryWrite(new MotionEnded(t.End, TouchedZones(), Math.Max(_motionPeak, t.PeakArea)));
                break;
            default:
                if (_tracker.InEvent)
                {
                    _motionPeak = Math.Max(_motionPeak, area);
                    if (MarkZones(out var grew) && grew) _work.Writer.TryWrite(new MotionZones(TouchedZones(), _motionPeak));
                }
                break;
        }

        var armed = _services.Arming.IsArmed(_camera.Id, time);
        _objects?.OnFrame(gray, time, r, armed);
        foreach (var t in _rules.Evaluate(time, armed, r.Motion, area, _coverage)) _work.Writer.TryWrite(new Alarm(t));

        if (_tamper is not null)
        {
            var tr = _tamper.Process(gray, time);
            if (tr.Transition != TamperTransition.None) _work.Writer.TryWrite(new Tamper(tr.Kind, tr.Transition == TamperTransition.Started, time));
        }
    }

    private bool MarkZones(out bool grew)
    {
        grew = false;
        var any = false;
        for (var i = 0; i < _coverage.Length; i++)
        {
            if (_coverage[i] < ZoneTouch) continue;
            any = true;
            if (!_motionZones[i]) grew = _motionZones[i] = true;
        }
        return any;
    }

    private string[] TouchedZones() => [.. _zoneNames.Where((_, i) => _motionZones[i])];

    private async Task WorkAsync()
    {
        CameraEvent? motion = null;
        var alarms = new Dictionary<string, CameraEvent>();
        var tampers = new Dictionary<TamperKind, CameraEvent>();
        await foreach (var w in _work.Reader.ReadAllAsync())
        {
            try
            {
                switch (w)
                {
                    case MotionStarted s:
                        motion = await StartAsync(new CameraEvent(0, _camera.Id, EventTypes.Motion, s.Start, null, null) { PeakArea = s.Area });
                        break;
                    case MotionZones z when motion is not null:
                        motion = await UpdateAsync(motion with { Zones = z.Zones, PeakArea = z.Peak });
                        break;
                    case MotionEnded e when motion is not null:
                        await EndAsync(motion with { End = e.End, Zones = e.Zones, PeakArea = e.Peak });
                        motion = null;
                        break;
                    case Alarm { Transition: var t }:
                        await AlarmAsync(t, alarms);
                        break;
                    case Tamper t:
                        if (t.Started && !tampers.ContainsKey(t.Kind))
                            tampers[t.Kind] = await StartAsync(new CameraEvent(0, _camera.Id, EventTypes.Tamper, t.Time, null, TamperName(t.Kind)));
                        else if (!t.Started && tampers.Remove(t.Kind, out var open))
                            await EndAsync(open with { End = t.Time });
                        break;
                }
            }
            catch (Exception e)
            {
                _log.LogError(e, "Camera {Camera}: storing an analysis event failed", _camera.Id);
            }
        }
        // Stopping: whatever is still open ends now, so no event stays open forever.
        var now = _services.Clock.GetUtcNow();
        foreach (var open in alarms.Values.Concat(tampers.Values).Append(motion).OfType<CameraEvent>())
        {
            try { await EndAsync(open with { End = now }); }
            catch (Exception e) { _log.LogWarning(e, "Camera {Camera}: closing an event failed", _camera.Id); }
        }
    }

    private async Task AlarmAsync(RuleTransition t, Dictionary<string, CameraEvent> open)
    {
        switch (t.Kind)
        {
            case RuleTransitionKind.Raised:
                open[t.Rule.Id] = await StartAsync(new CameraEvent(0, _camera.Id, EventTypes.Alarm, t.Start, null, null)
                    { Zones = t.Zones, PeakArea = t.PeakArea, Rule = t.Rule.Name });
                break;
            case RuleTransitionKind.Updated when open.TryGetValue(t.Rule.Id, out var e):
                open[t.Rule.Id] = await UpdateAsync(e with { Zones = t.Zones, PeakArea = t.PeakArea });
                break;
            case RuleTransitionKind.Cleared when open.Remove(t.Rule.Id, out var e):
                await EndAsync(e with { End = t.End, Zones = t.Zones, PeakArea = t.PeakArea });
                break;
        }
    }

    /// <summary>Stores and publishes a new event at once (alert latency), then takes its snapshot and publishes again.</summary>
    private async Task<CameraEvent> StartAsync(CameraEvent e)
    {
        var id = await _services.Events.AddAsync(e);
        e = e with { Id = id };
        _services.Publisher.Publish(EventChange.New, e, _camera.Name, null);
        var path = await _services.Snapshots.SaveAsync(_camera.Id, id);
        if (path is null) return e;
        e = e with { HasSnapshot = true };
        await _services.Events.UpdateAsync(e);
        _services.Publisher.Publish(EventChange.Update, e, _camera.Name, path);
        return e;
    }

    private async Task<CameraEvent> UpdateAsync(CameraEvent e)
    {
        await _services.Events.UpdateAsync(e);
        _services.Publisher.Publish(EventChange.Update, e, _camera.Name, null);
        return e;
    }

    private async Task EndAsync(CameraEvent e)
    {
        await _services.Events.UpdateAsync(e);
        _services.Publisher.Publish(EventChange.End, e, _camera.Name, null);
    }

    private static string TamperName(TamperKind kind) => kind switch
    {
        TamperKind.Covered => "covered",
        TamperKind.Defocused => "defocused",
        TamperKind.TurnedAway => "turned away",
        _ => "tamper",
    };

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync();
        if (_objects is not null) await _objects.DisposeAsync();
        var now = _services.Clock.GetUtcNow();
        foreach (var t in _rules.ClearAll(now)) _work.Writer.TryWrite(new Alarm(t));
        _work.Writer.TryComplete();
        await _worker;
    }
}
