using System.Buffers;
using System.Threading.Channels;
using Argus.Analytics.Objects;
using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Core.Geometry;
using Argus.Core.Objects;
using Argus.Vision.Detection;
using Argus.Vision.Imaging;
using Argus.Vision.Motion;
using Argus.Vision.Tracking;
using Microsoft.Extensions.Logging;
using TrackerDetection = Argus.Vision.Tracking.Detection;

namespace Argus.Cluster.Analysis;

/// <summary>
/// One camera's objects: decides on the feed's thread whether a frame is worth detecting (motion, moving tracks, a
/// periodic full look for stopped ones), prepares the detector input there, and hands it to the shared detector
/// service. Results come back to this camera's own worker, which tracks, counts, applies the object rules and stores
/// events with the object's best picture. The feed thread never waits for the detector or the database.
/// </summary>
public sealed class ObjectAnalyzer : IAsyncDisposable
{
    /// <summary>Stopped objects are only confirmed by a look at the whole frame this often (nothing moves there).</summary>
    private static readonly TimeSpan FullLookInterval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset IdEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CameraConfig _camera;
    private readonly ObjectPlan _plan;
    private readonly DetectorService _detector;
    private readonly IObjectEvents _events;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly int _width, _height;
    private readonly byte[]? _privacy;
    private readonly HashSet<int> _classIds;
    private readonly TimeSpan _interval;
    private readonly Letterbox _letterbox;
    private readonly PixelRect[] _tiles;
    private readonly int _tileWidth;
    private readonly ObjectTracker _tracker;
    private readonly LineCounter[] _lines;
    private readonly SpeedMeter[] _lineSpeeds;
    private readonly SpeedMeter? _groundSpeed;
    private readonly (ObjectRule Rule, ZoneWatcher Watcher)[] _zoneRules;
    private readonly CountAggregator _counts = new();
    private readonly List<LineCrossing> _crossings = [];
    private readonly Dictionary<LineCrossing, double> _crossingSpeeds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, byte[]> _bestPictures = [];
    private readonly Dictionary<(string Rule, long Track), DateTimeOffset> _entries = [];
    private readonly Dictionary<(string Rule, long Track), CameraEvent> _openDwells = [];
    private readonly Channel<Result> _results = Channel.CreateUnbounded<Result>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;
    private readonly object _pendingGate = new();
    private IReadOnlyList<LineCount> _pending = [];
    private int _inFlight;
    private DateTimeOffset _lastSubmit = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFull = DateTimeOffset.MinValue;
    private volatile int _liveTracks;
    /// <summary>Boxes of the moving tracks, published by the worker for the feed thread's choice of region.</summary>
    private volatile NormBox[] _moving = [];

    private sealed record Result(DateTimeOffset Time, IReadOnlyList<DetectedObject>? Detections, ObservedRegion Observed, byte[] Frame, bool Armed);

    public ObjectAnalyzer(CameraConfig camera, ObjectPlan plan, DetectorService detector, IObjectEvents events, TimeProvider clock, ILogger log,
        int width, int height)
    {
        _camera = camera;
        _plan = plan;
        _detector = detector;
        _events = events;
        _clock = clock;
        _width = width;
        _height = height;
        _log = log;
        _classIds = [.. plan.Classes.Select(ObjectClasses.IdOf).Where(i => i >= 0)];
        _interval = TimeSpan.FromSeconds(1 / Math.Min(plan.Settings.Fps, camera.Analysis.Fps));
        _letterbox = new Letterbox(detector.Letterbox.Settings); // its buffers are this camera's own
        // Two overlapping tiles of the model's width when the frame is wider than it (640 against 416: 1.5x the pixels).
        _tileWidth = Math.Min(width, _letterbox.Settings.Width);
        _tiles = plan.Settings.Tiles > 1 && width > _tileWidth
            ? [new PixelRect(0, 0, _tileWidth, Math.Min(height, _letterbox.Settings.Height)), new PixelRect(width - _tileWidth, 0, _tileWidth, Math.Min(height, _letterbox.Settings.Height))]
            : [];
        var privacy = plan.Zones.Where(z => z.Kind == ZoneKind.Privacy).ToList();
        if (privacy.Count > 0)
        {
            _privacy = new byte[width * height];
            foreach (var z in privacy) z.Polygon.Fill(_privacy, width, height, 255);
        }
        // Ids go on from where a previous run of this camera left them (a restart must not reuse a track id).
        _tracker = new ObjectTracker(new TrackerOptions
        {
            FirstId = (long)(clock.GetUtcNow() - IdEpoch).TotalSeconds * 1000,
            // Tracks start from detections this sure; weaker ones (down to the detector's floor) only extend tracks.
            HighScore = plan.Settings.MinScore,
        });
        _lines = [.. plan.Lines.Select(l => new LineCounter(new CountingLine(l.Name, l.A, l.B, l.Classes)))];
        _lineSpeeds = [.. plan.Lines.Where(l => l.SpeedTo is not null && plan.Lines.Any(o => o.Name == l.SpeedTo))
            .Select(l => SpeedMeter.BetweenLines(l.SpeedTo!, l.Name, l.DistanceMeters!.Value))];
        if (plan.Settings.Calibration is { } c)
        {
            try { _groundSpeed = SpeedMeter.OnGround(Homography.FromPoints(c.ImagePoints, [.. c.Ground.Select(p => (p[0], p[1]))])); }
            catch (ArgumentException e) { log.LogWarning("Camera {Camera}: ground calibration not used: {Error}", camera.Id, e.Message); }
        }
        _zoneRules = [.. plan.Rules.Where(r => r.Trigger != ObjectTrigger.Cross && plan.Zones.Any(z => z.Name == r.Zone)).Select(r =>
            (r, new ZoneWatcher([new ObjectZone(r.Zone!, plan.Zones.First(z => z.Name == r.Zone).Polygon, r.Classes,
                r.Trigger == ObjectTrigger.Dwell ? TimeSpan.FromSeconds(r.DwellSeconds) : null)])))];
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>This camera's requests to the detector: run, dropped by its full queue.</summary>
    public CameraDetectorCounters Counters => _detector.CountersOf(_camera.Id);
    public int LiveTracks => _liveTracks;
    /// <summary>A frame is with the detector or being tracked (offline runs wait for this to clear, for repeatable results).</summary>
    public bool Busy => Volatile.Read(ref _inFlight) != 0;
    public IReadOnlyList<string> Classes => _plan.Classes;

    /// <summary>Raised on the camera's worker with every tracked frame (live overlay, accuracy tests).</summary>
    public event Action<ObjectFrame>? Tracked;

    /// <summary>The latest tracked frame (the console's overlay of boxes and track ids reads it).</summary>
    public ObjectFrame? Latest { get; private set; }

    /// <summary>Counts of the minute still open, not yet stored.</summary>
    public IReadOnlyList<LineCount> PendingCounts() { lock (_pendingGate) return _pending; }

    /// <summary>Called on the feed thread after motion: submits the frame for detection when it is worth it.</summary>
    public void OnFrame(ReadOnlySpan<byte> frame, DateTimeOffset time, MotionResult motion, bool armed)
    {
        if (Volatile.Read(ref _inFlight) != 0 || time - _lastSubmit < _interval * 0.9) return;
        var full = _plan.Settings.EveryFrame || (_liveTracks > 0 && time - _lastFull >= FullLookInterval);
        if (!full && !motion.Motion && _moving.Length == 0) return;

        var crop = full ? PixelRect.Whole(_width, _height) : CropFor(motion);
        if (crop.Width == _width && crop.Height == _height) { full = true; _lastFull = time; }
        var observed = full ? ObservedRegion.Full
            : ObservedRegion.Crops(new NormBox((double)crop.X / _width, (double)crop.Y / _height, (double)crop.Width / _width, (double)crop.Height / _height));
        // The whole frame as tiles of the model's size at full resolution (small, far objects), or letterboxed at once.
        PixelRect[] crops = full && _tiles.Length > 1 ? _tiles : [crop];

        var copy = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(copy);
        Volatile.Write(ref _inFlight, 1);
        _lastSubmit = time;
        var gather = new Gather(crops.Length, time, observed, copy, armed);
        for (var i = 0; i < crops.Length; i++)
        {
            var input = _detector.RentInput();
            var mapping = _letterbox.Run(frame, _width, _height, crops[i], input);
            var tile = crops.Length > 1 ? crops[i] : (PixelRect?)null;
            if (!_detector.TrySubmit(new DetectionRequest(_camera.Id, input, mapping, result => Collect(gather, result, tile))))
            {
                _detector.ReturnInput(input);
                Collect(gather, null, tile);
            }
        }
    }

    /// <summary>The detections of one frame, arriving from one or more requests (tiles).</summary>
    private sealed class Gather(int parts, DateTimeOffset time, ObservedRegion observed, byte[] frame, bool armed)
    {
        public int Left = parts;
        public bool Failed;
        public readonly List<DetectedObject> Detections = [];
        public DateTimeOffset Time { get; } = time;
        public ObservedRegion Observed { get; } = observed;
        public byte[] Frame { get; } = frame;
        public bool Armed { get; } = armed;
    }

    /// <summary>Called from the detector (or here when a submission was refused) once per request.</summary>
    private void Collect(Gather g, DetectionResult? result, PixelRect? tile)
    {
        var detected = result?.Status == DetectionStatus.Detected;
        lock (g)
        {
            if (!detected) g.Failed = true;
            else
                foreach (var d in result!.Detections)
                    if (tile is not { } t || !CutByTileSeam(d.Box, t)) g.Detections.Add(d);
            if (--g.Left > 0) return;
        }
        // A frame with a part missing is not tracked: the tracker would take the missing part's objects for gone.
        if (!_results.Writer.TryWrite(new Result(g.Time, g.Failed ? null : g.Detections, g.Observed, g.Frame, g.Armed)))
        {
            ArrayPool<byte>.Shared.Return(g.Frame);
            Volatile.Write(ref _inFlight, 0);
        }
    }

    /// <summary>
    /// A box cut by a tile's inner edge, of an object that lies wholly inside the neighbouring tile: that tile sees it
    /// whole, so this truncated copy would only be a second, worse box of the same object.
    /// </summary>
    private bool CutByTileSeam(NormBox box, PixelRect tile)
    {
        var x1 = box.X * _width;
        var x2 = box.Right * _width;
        const double edge = 2;
        var cutRight = tile.Right < _width && x2 >= tile.Right - edge;
        var cutLeft = tile.X > 0 && x1 <= tile.X + edge;
        return (cutRight && x1 >= _width - _tileWidth) || (cutLeft && x2 <= _tileWidth);
    }

    /// <summary>
    /// The region to look at: what moves (motion and moving tracks), grown by a margin; a square of the model's own
    /// input size when it fits, so small objects are seen at full resolution; otherwise the whole frame.
    /// </summary>
    private PixelRect CropFor(MotionResult motion)
    {
        double x1 = 1, y1 = 1, x2 = 0, y2 = 0;
        foreach (var r in motion.Regions)
        {
            x1 = Math.Min(x1, r.X); y1 = Math.Min(y1, r.Y);
            x2 = Math.Max(x2, r.X + r.Width); y2 = Math.Max(y2, r.Y + r.Height);
        }
        foreach (var b in _moving)
        {
            x1 = Math.Min(x1, b.X); y1 = Math.Min(y1, b.Y);
            x2 = Math.Max(x2, b.Right); y2 = Math.Max(y2, b.Bottom);
        }
        if (x2 <= x1 || y2 <= y1) return PixelRect.Whole(_width, _height);
        var side = Math.Min(_letterbox.Settings.Width, _letterbox.Settings.Height);
        var w = (x2 - x1) * _width * 1.3;
        var h = (y2 - y1) * _height * 1.3;
        if (w > side || h > side) return PixelRect.Whole(_width, _height);
        var cw = Math.Min(side, _width);
        var ch = Math.Min(side, _height);
        var cx = (int)Math.Clamp((((x1 + x2) / 2) * _width) - (cw / 2.0), 0, _width - cw);
        var cy = (int)Math.Clamp((((y1 + y2) / 2) * _height) - (ch / 2.0), 0, _height - ch);
        return new PixelRect(cx, cy, cw, ch);
    }

    private async Task WorkAsync()
    {
        var detections = new List<TrackerDetection>();
        await foreach (var r in _results.Reader.ReadAllAsync())
        {
            try
            {
                if (r.Detections is not null) await ProcessAsync(r, detections);
            }
            catch (Exception e)
            {
                _log.LogError(e, "Camera {Camera}: object analysis of a frame failed", _camera.Id);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(r.Frame);
                Volatile.Write(ref _inFlight, 0);
            }
        }
        // Stopping: what is open ends now; counts of the open minute are stored.
        try
        {
            var now = _clock.GetUtcNow();
            foreach (var open in _openDwells.Values) await _events.EndAsync(open with { End = now });
            await StoreCountsAsync(_counts.Drain(DateTimeOffset.MaxValue));
        }
        catch (Exception e) { _log.LogWarning(e, "Camera {Camera}: closing object analysis failed", _camera.Id); }
    }

    private async Task ProcessAsync(Result r, List<TrackerDetection> detections)
    {
        detections.Clear();
        foreach (var d in Riders.Merge(r.Detections!).OrderByDescending(d => d.Score))
            if (_classIds.Contains(d.ClassId) && !SameObject(d, detections)) detections.Add(new TrackerDetection(d.Label, d.Score, d.Box));
        var frame = _tracker.Update(r.Time, detections, r.Observed);
        _liveTracks = frame.Objects.Count;
        _moving = [.. frame.Objects.Where(o => !o.Stationary).Select(o => o.Box)];
        Latest = frame;
        Tracked?.Invoke(frame);

        foreach (var t in _tracker.Tracks)
            if (t.BestTime == r.Time && t.State != TrackState.Lost) _bestPictures[t.Id] = Picture(r.Frame, t.BestBox);

        // Crossings of every line first: a speed between two lines needs both.
        _crossings.Clear();
        foreach (var line in _lines) _crossings.AddRange(line.Update(frame));
        _crossingSpeeds.Clear();
        foreach (var meter in _lineSpeeds)
            foreach (var reading in meter.Update(frame, _crossings))
                if (reading.Crossing is { } c) _crossingSpeeds[c] = reading.Kmh;
        _groundSpeed?.Update(frame, _crossings);

        foreach (var c in _crossings)
        {
            _counts.Add(c);
            var direction = c.Direction.ToWire();
            var speed = _crossingSpeeds.TryGetValue(c, out var kmh) ? kmh : _groundSpeed?.SpeedOf(c.TrackId);
            var rule = _plan.Rules.FirstOrDefault(x => x.Trigger == ObjectTrigger.Cross && x.Line == c.Line && (x.Classes.Count == 0 || x.Classes.Contains(c.Class))
                && (x.Direction is null || x.Direction == direction) && (r.Armed || !x.WhenArmed));
            await AddAsync(new CameraEvent(0, _camera.Id, EventTypes.LineCross, c.Time, c.Time, $"{c.Class} {direction} {c.Line}")
            {
                ObjectClass = c.Class, TrackId = c.TrackId, Line = c.Line, Direction = direction, SpeedKmh = speed, Score = BestScore(c.TrackId), Rule = rule?.Name,
            }, c.TrackId);
        }

        foreach (var (rule, watcher) in _zoneRules)
        {
            foreach (var z in watcher.Update(frame))
            {
                var key = (rule.Id, z.TrackId);
                if (z.Kind == ZoneEventKind.Enter) _entries[key] = z.Time;
                var allowed = r.Armed || !rule.WhenArmed;
                switch (z.Kind)
                {
                    case ZoneEventKind.Enter when rule.Trigger == ObjectTrigger.Enter && allowed:
                        await AddAsync(ObjectEvent(EventTypes.ObjectEnter, rule, z.TrackId, z.Class, z.Time, z.Time), z.TrackId);
                        break;
                    case ZoneEventKind.Leave when rule.Trigger == ObjectTrigger.Leave && allowed:
                        await AddAsync(ObjectEvent(EventTypes.ObjectLeave, rule, z.TrackId, z.Class, z.Time, z.Time) with { Detail = $"{z.Class} left {rule.Zone} after {z.Seconds:0} s" }, z.TrackId);
                        break;
                    case ZoneEventKind.Dwell when rule.Trigger == ObjectTrigger.Dwell && allowed:
                        var since = _entries.GetValueOrDefault(key, z.Time - TimeSpan.FromSeconds(z.Seconds));
                        var e = ObjectEvent(EventTypes.ObjectDwell, rule, z.TrackId, z.Class, since, null) with { Detail = $"{z.Class} in {rule.Zone} for {z.Seconds:0} s" };
                        _openDwells[key] = await AddAsync(e, z.TrackId);
                        break;
                }
                if (z.Kind == ZoneEventKind.Leave)
                {
                    _entries.Remove(key);
                    if (_openDwells.Remove(key, out var open)) await _events.EndAsync(open with { End = z.Time });
                }
            }
        }

        foreach (var id in frame.Ended) _bestPictures.Remove(id);
        var closed = _counts.Drain(r.Time);
        lock (_pendingGate) _pending = [.. _counts.Open().Select(ToCount)];
        await StoreCountsAsync(closed);
    }

    /// <summary>
    /// The detector's NMS is per class and per tile, so one vehicle often comes as a car and a truck box, and an object
    /// in the tiles' overlap comes twice: keep the surest (the tracker votes on the class over frames).
    /// </summary>
    private static bool SameObject(DetectedObject d, List<TrackerDetection> kept)
    {
        var vehicle = ObjectClasses.IsVehicle(d.Label);
        foreach (var k in kept)
            if ((vehicle ? ObjectClasses.IsVehicle(k.Class) : k.Class == d.Label) && k.Box.IoU(d.Box) >= 0.6) return true;
        return false;
    }

    private async Task StoreCountsAsync(IEnumerable<CountRow> rows)
    {
        var list = rows.Select(ToCount).ToList();
        if (list.Count > 0) await _events.StoreCountsAsync(list);
    }

    private LineCount ToCount(CountRow b) => new(_camera.Id, b.Line, b.Class, b.Direction.ToWire(), b.Start, b.Start + b.Length, b.Count);

    private CameraEvent ObjectEvent(string type, ObjectRule rule, long track, string cls, DateTimeOffset start, DateTimeOffset? end) =>
        new(0, _camera.Id, type, start, end, $"{cls} {type[7..]} {rule.Zone}")
        {
            ObjectClass = cls, TrackId = track, Zones = [rule.Zone!], Rule = rule.Name, Score = BestScore(track),
        };

    private double? BestScore(long track) => _tracker.Tracks.FirstOrDefault(t => t.Id == track)?.BestScore;

    /// <summary>The object's best picture so far: a crop around its highest-scoring detection, privacy mask applied.</summary>
    private byte[] Picture(byte[] frame, NormBox box)
    {
        var mx = Math.Max(box.Width * 0.25, 16.0 / _width);
        var my = Math.Max(box.Height * 0.25, 16.0 / _height);
        var x = (int)((box.X - mx) * _width);
        var y = (int)((box.Y - my) * _height);
        var w = (int)((box.Width + (2 * mx)) * _width);
        var h = (int)((box.Height + (2 * my)) * _height);
        return I420Jpeg.Encode(frame, _width, _height, x, y, w, h, _privacy);
    }

    private Task<CameraEvent> AddAsync(CameraEvent e, long track) => _events.AddAsync(e, _bestPictures.GetValueOrDefault(track));

    public async ValueTask DisposeAsync()
    {
        _results.Writer.TryComplete();
        await _worker;
    }
}
