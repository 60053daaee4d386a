using System.Text.Json;
using Argus.Media.Analysis;
using Argus.Media.Tests;
using Argus.Vision.Motion;
using Argus.Vision.Tamper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Argus.Vision.Tests;

/// <summary>A clip decoded by real ffmpeg through AnalysisFeed at the analysis rate, run through the detectors.</summary>
internal sealed class ClipRun : IFrameSink
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const int Width = 640;
    public const int Height = 360;
    public const double Fps = 5;

    private readonly MotionDetector _motion;
    private readonly MotionEventTracker _tracker;
    private readonly TamperDetector _tamper = new(Width, Height);

    private ClipRun(MotionSettings settings, MotionEventTracker tracker)
    {
        _motion = new MotionDetector(Width, Height, settings);
        _tracker = tracker;
    }

    public List<(double Start, double End, double Peak)> Events { get; } = [];
    public List<(double At, TamperTransition Transition, TamperKind Kind)> Tamper { get; } = [];
    public List<(double At, bool Motion)> FrameMotion { get; } = [];
    public int Frames { get; private set; }
    public int MotionFrames { get; private set; }
    public int LightingFrames { get; private set; }
    public double Seconds => Frames / Fps;

    public static async Task<ClipRun> RunAsync(string path, MotionSettings? settings = null, MotionEventTracker? tracker = null, bool skipLoopFilter = false)
    {
        var run = new ClipRun(settings ?? new MotionSettings(), tracker ?? new MotionEventTracker());
        await using var feed = new AnalysisFeed(new AnalysisFeedOptions
        {
            InputArgs = ["-i", path], SkipLoopFilter = skipLoopFilter, Width = Width, Height = Height, Fps = Fps, RunOnce = true, OfflineStart = Epoch,
        }, run, NullLogger.Instance);
        feed.Start();
        await feed.Completion.WaitAsync(TimeSpan.FromMinutes(5));
        run.End();
        return run;
    }

    public void OnFrame(ReadOnlySpan<byte> gray, int width, int height, DateTimeOffset time)
    {
        Frames++;
        var r = _motion.Process(gray, time);
        if (r.Motion) MotionFrames++;
        FrameMotion.Add(((time - Epoch).TotalSeconds, r.Motion));
        if (r.LightingChange) LightingFrames++;
        Record(_tracker.Update(r.Motion, r.ChangedFraction, time));
        var t = _tamper.Process(gray, time);
        if (t.Transition != TamperTransition.None) Tamper.Add(((time - Epoch).TotalSeconds, t.Transition, t.Kind));
    }

    private void End() => Record(_tracker.Finish());

    private void Record(MotionTransition t)
    {
        if (t.Kind == MotionTransitionKind.Ended) Events.Add(((t.Start - Epoch).TotalSeconds, (t.End - Epoch).TotalSeconds, t.PeakArea));
    }
}

internal sealed record Interval(double Start, double End, string What);

internal sealed record GroundTruth(string Clip, string LabelledBy, string Criteria, IReadOnlyList<Interval> Intervals, IReadOnlyList<Interval> Ignore)
{
    public static GroundTruth Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "GroundTruth", name + ".json");
        return JsonSerializer.Deserialize<GroundTruth>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException("empty ground truth " + path);
    }

    public string AssetPath => Fixtures.Asset(Clip);
}

/// <summary>Event-level score: a labelled interval is found if some event overlaps it; an event overlapping no interval (nor an ignored span) is a false alarm.</summary>
internal sealed record Score(int Labelled, int Found, int Events, int FalseAlarms, double Hours, int EmptyFrames, int EmptyFramesWithMotion)
{
    public double Recall => Labelled == 0 ? 1 : (double)Found / Labelled;
    public double FalseAlarmsPerHour => FalseAlarms / Hours;

    public static Score Of(GroundTruth truth, ClipRun run)
    {
        static bool Overlaps((double Start, double End, double Peak) e, Interval i) => e.Start <= i.End && e.End >= i.Start;
        var found = truth.Intervals.Count(i => run.Events.Any(e => Overlaps(e, i)));
        var falseAlarms = run.Events.Count(e => !truth.Intervals.Any(i => Overlaps(e, i)) && !truth.Ignore.Any(i => Overlaps(e, i)));
        // Frame level: frames at least 0.5 s away from any labelled or ignored span are empty scene.
        var empty = run.FrameMotion.Where(f => !truth.Intervals.Concat(truth.Ignore).Any(i => f.At >= i.Start - 0.5 && f.At <= i.End + 0.5)).ToList();
        return new Score(truth.Intervals.Count, found, run.Events.Count, falseAlarms, run.Seconds / 3600, empty.Count, empty.Count(f => f.Motion));
    }

    public override string ToString() =>
        $"labelled {Labelled}, found {Found} (recall {Recall:0.00}), events {Events}, false alarms {FalseAlarms} ({FalseAlarmsPerHour:0.#}/h); frames of empty scene with motion {EmptyFramesWithMotion}/{EmptyFrames}";
}
