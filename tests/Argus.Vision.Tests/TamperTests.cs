using Argus.Vision.Tamper;
using Xunit.Abstractions;

namespace Argus.Vision.Tests;

/// <summary>Tamper on the traffic clip made with ffmpeg filters from 15 s to 30 s; untouched real clips raise none.</summary>
public sealed class TamperTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("covered", TamperKind.Covered)]
    [InlineData("defocused", TamperKind.Defocused)]
    [InlineData("turned", TamperKind.TurnedAway)]
    public async Task Detects_a_tamper_made_from_real_footage(string kind, TamperKind expected)
    {
        var run = await ClipRun.RunAsync(SyntheticClips.Tampered(kind));
        foreach (var t in run.Tamper) output.WriteLine($"{t.At:0.0} s {t.Transition} {t.Kind}");

        var started = Assert.Single(run.Tamper, t => t.Transition == TamperTransition.Started);
        Assert.Equal(expected, started.Kind);
        // Starts after the 3 s hold, within a couple of seconds more.
        Assert.InRange(started.At, 17.5, 21);
        if (kind != "turned")
        {
            // The view comes back at 30 s: the tamper ends after the hold.
            var ended = Assert.Single(run.Tamper, t => t.Transition == TamperTransition.Ended);
            Assert.Equal(expected, ended.Kind);
            Assert.InRange(ended.At, 32, 36);
        }
    }

    [Theory]
    [InlineData("videos/intel_one-by-one-person-detection.mp4")]
    [InlineData("videos/traffic_cam_multilane.mp4")]
    [InlineData("videos/intel_car-detection.mp4")]
    [InlineData("videos/pedestrian_plaza_720p.avi")]
    public async Task Untouched_real_clips_raise_no_tamper(string clip)
    {
        var run = await ClipRun.RunAsync(Media.Tests.Fixtures.Asset(clip));
        foreach (var t in run.Tamper) output.WriteLine($"{t.At:0.0} s {t.Transition} {t.Kind}");
        Assert.True(run.Frames > 60);
        Assert.Empty(run.Tamper);
    }
}
