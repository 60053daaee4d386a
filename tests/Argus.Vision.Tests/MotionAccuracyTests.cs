using Xunit.Abstractions;

namespace Argus.Vision.Tests;

/// <summary>
/// Event recall and false alarms against hand-labelled real clips (GroundTruth/*.json), decoded by real ffmpeg at the
/// analysis rate. Figures are printed and recorded in docs/benchmarks.md ("Motion accuracy").
/// </summary>
public sealed class MotionAccuracyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("intel_one-by-one-person-detection", 1.0, 0, false)]
    [InlineData("intel_car-detection", 1.0, 0, false)]
    [InlineData("traffic_cam_multilane", 1.0, 0, false)]
    [InlineData("intel_one-by-one-person-detection", 1.0, 0, true)]
    [InlineData("intel_car-detection", 1.0, 0, true)]
    public async Task Finds_the_labelled_events_of_real_clips(string clip, double minRecall, int maxFalseAlarms, bool skipLoopFilter)
    {
        var truth = GroundTruth.Load(clip);
        var run = await ClipRun.RunAsync(truth.AssetPath, skipLoopFilter: skipLoopFilter);
        var score = Score.Of(truth, run);
        output.WriteLine($"{clip}{(skipLoopFilter ? " (no loop filter)" : "")}: {run.Seconds:0.#} s, {run.Frames} frames, {run.MotionFrames} with motion, {run.LightingFrames} lighting; {score}");
        foreach (var e in run.Events) output.WriteLine($"  event {e.Start:0.0}-{e.End:0.0} s peak {e.Peak:0.000}");
        Assert.True(score.Recall >= minRecall, $"recall {score.Recall:0.00} < {minRecall}");
        Assert.True(score.FalseAlarms <= maxFalseAlarms, $"{score.FalseAlarms} false alarms");
    }

    [Theory]
    [InlineData("flicker")]
    [InlineData("dawn")]
    public async Task An_empty_scene_with_only_lighting_changes_and_noise_raises_nothing(string lighting)
    {
        var run = await ClipRun.RunAsync(SyntheticClips.EmptyRoom(lighting));
        output.WriteLine($"empty room, {lighting}: {run.Seconds:0.#} s, {run.MotionFrames} frames with motion, {run.LightingFrames} lighting, {run.Events.Count} events");
        foreach (var e in run.Events) output.WriteLine($"  event {e.Start:0.0}-{e.End:0.0} s peak {e.Peak:0.000}");
        Assert.InRange(run.Frames, 340, 360);
        Assert.Empty(run.Events);
        Assert.Empty(run.Tamper);
    }
}
