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

    [Fact]
    public async Task A_swaying_tree_raises_nothing_once_learned_but_a_person_walking_through_it_does()
    {
        var run = await ClipRun.RunAsync(SyntheticClips.SwayingTree());
        output.WriteLine($"swaying tree: {run.Seconds:0.#} s, {run.MotionFrames} frames with motion, {run.LightingFrames} lighting, {run.Events.Count} events; " +
            $"frames with motion 15-40 s and 55-70 s: {run.FrameMotion.Count(f => f.Motion && ((f.At >= 15 && f.At < 40) || f.At >= 55))}");
        foreach (var e in run.Events) output.WriteLine($"  event {e.Start:0.0}-{e.End:0.0} s peak {e.Peak:0.000}");
        Assert.InRange(run.Frames, 340, 360);
        // The first 15 s are excluded: the per-cell noise levels start from nothing and need ~10 s to learn the tree.
        Assert.DoesNotContain(run.Events, e => e.End > 15 && !(e.Start <= 50 && e.End >= 40));
        Assert.Single(run.Events, e => e.Start <= 50 && e.End >= 40);
    }

    [Fact]
    public async Task Headlights_sweeping_a_wall_raise_nothing_but_a_car_driving_in_does()
    {
        var run = await ClipRun.RunAsync(SyntheticClips.Headlights());
        output.WriteLine($"headlights: {run.Seconds:0.#} s, {run.MotionFrames} frames with motion, {run.LightingFrames} lighting, {run.Events.Count} events");
        foreach (var e in run.Events) output.WriteLine($"  event {e.Start:0.0}-{e.End:0.0} s peak {e.Peak:0.000}");
        Assert.InRange(run.Frames, 340, 360);
        Assert.DoesNotContain(run.Events, e => e.Start < SyntheticClips.CarArrives);
        Assert.Single(run.Events, e => e.End >= SyntheticClips.CarArrives && e.Start <= SyntheticClips.CarArrives + 4);
    }
}
