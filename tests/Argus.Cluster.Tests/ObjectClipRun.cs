using Argus.Cluster.Analysis;
using Argus.Core.Analysis;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Core.Objects;
using Argus.Media.Analysis;
using Argus.Media.Tests;
using Argus.Vision.Detection;
using Argus.Vision.Motion;
using Microsoft.Extensions.Logging.Abstractions;

namespace Argus.Cluster.Tests;

/// <summary>Collects what a camera's object analysis produces, as the server's store would.</summary>
internal sealed class CollectedEvents : IObjectEvents
{
    private long _id;
    public List<CameraEvent> Events { get; } = [];
    public List<LineCount> Counts { get; } = [];
    public Dictionary<long, byte[]> Pictures { get; } = [];

    public Task<CameraEvent> AddAsync(CameraEvent e, byte[]? jpeg)
    {
        lock (Events)
        {
            e = e with { Id = ++_id, HasSnapshot = jpeg is not null };
            Events.Add(e);
            if (jpeg is not null) Pictures[e.Id] = jpeg;
        }
        return Task.FromResult(e);
    }

    public Task EndAsync(CameraEvent e)
    {
        lock (Events) Events[Events.FindIndex(x => x.Id == e.Id)] = e;
        return Task.CompletedTask;
    }

    public Task StoreCountsAsync(IReadOnlyList<LineCount> minutes)
    {
        lock (Counts) Counts.AddRange(minutes);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A clip through the same object analysis a camera runs (offline feed at 5 fps in clip time, the motion detector,
/// <see cref="ObjectAnalyzer"/> with the real detector service), waiting for each frame's result before the next so
/// the outcome does not depend on the machine's speed.
/// </summary>
internal sealed class ObjectClipRun : IFrameSink
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Width = AnalysisSettings.Width, Height = AnalysisSettings.Height;

    private readonly MotionDetector _motion = new(Width, Height, new MotionSettings());
    private readonly ObjectAnalyzer _objects;

    private ObjectClipRun(ObjectAnalyzer objects, CollectedEvents collected)
    {
        _objects = objects;
        Collected = collected;
    }

    public CollectedEvents Collected { get; }
    public List<ObjectFrame> Frames { get; } = [];

    public static async Task<ObjectClipRun> RunAsync(string clip, DetectorService detector, IReadOnlyList<CameraLine> lines,
        IReadOnlyList<ObjectRule>? rules = null, IReadOnlyList<CameraZone>? zones = null, ObjectSettings? settings = null, double fps = 5)
    {
        var camera = new CameraConfig
        {
            Id = "clip", Name = "clip", Main = SourceUrl.Parse(clip),
            Analysis = new AnalysisSettings { Fps = fps, Objects = settings ?? ObjectSettings.Default },
        };
        var plan = ObjectPlan.For(camera, zones ?? [], lines, rules ?? [])!;
        var collected = new CollectedEvents();
        var analyzer = new ObjectAnalyzer(camera, plan, detector, collected, TimeProvider.System, NullLogger.Instance, Width, Height);
        var run = new ObjectClipRun(analyzer, collected);
        analyzer.Tracked += f => { lock (run.Frames) run.Frames.Add(f); };
        await using (var feed = new AnalysisFeed(new AnalysisFeedOptions
        {
            InputArgs = ["-i", clip], Width = Width, Height = Height, Fps = fps, RunOnce = true, OfflineStart = Epoch, Color = true,
        }, run, NullLogger.Instance))
        {
            feed.Start();
            await feed.Completion.WaitAsync(TimeSpan.FromMinutes(10));
        }
        await analyzer.DisposeAsync();
        return run;
    }

    public void OnFrame(ReadOnlySpan<byte> frame, int width, int height, DateTimeOffset time)
    {
        var r = _motion.Process(frame, time);
        _objects.OnFrame(frame, time, r, armed: false);
        var waited = 0;
        while (_objects.Busy && waited++ < 30_000) Thread.Sleep(1);
    }

    public static double Seconds(DateTimeOffset t) => (t - Epoch).TotalSeconds;
}
