using Argus.Integration.Tests.Infrastructure;
using Argus.Media.Ffmpeg;
using Argus.Media.Live;

namespace Argus.Media.Tests.Live;

/// <summary>The channel fed with real ffmpeg fragments (3 s at 25 fps, a keyframe every 25 frames).</summary>
public class LiveChannelTests
{
    private static readonly Lazy<Task<(LiveInit Init, List<LiveFragment> Fragments)>> RunA = new(() => Run("main"));
    private static readonly Lazy<Task<(LiveInit Init, List<LiveFragment> Fragments)>> RunB = new(() => Run("high"));

    private static async Task<(LiveInit, List<LiveFragment>)> Run(string profile)
    {
        using var p = Fmp4StreamReaderTests.FfmpegToStdout("320x240", 25, 3, 25, profile);
        var result = await Fmp4StreamReaderTests.ReadAll(p.StandardOutput.BaseStream);
        await p.WaitForExitAsync();
        return result;
    }

    private static List<LivePiece> Drain(LiveSubscriber s)
    {
        var got = new List<LivePiece>();
        while (s.TryRead(out var piece)) got.Add(piece);
        return got;
    }

    [Fact]
    public async Task A_late_viewer_starts_with_the_init_and_the_last_keyframe()
    {
        var (init, fragments) = await RunA.Value;
        var channel = new LiveChannel("cam");
        channel.PublishInit(init);
        foreach (var f in fragments.Take(38)) channel.Publish(f);

        using var viewer = channel.Subscribe();
        var got = Drain(viewer);
        Assert.Same(init, got[0]);
        Assert.Equal(fragments.Skip(25).Take(13), got.Skip(1).Cast<LiveFragment>());
        Assert.True(((LiveFragment)got[1]).IsKeyframe);

        channel.Publish(fragments[38]);
        Assert.Same(fragments[38], await viewer.ReadAsync());
        Assert.Equal(1, channel.Viewers);
        Assert.Equal(0, channel.Drops);
        Assert.Equal((init, fragments[25]), channel.LatestKeyframe());
    }

    [Fact]
    public async Task After_skipped_frames_a_new_viewer_starts_at_the_next_keyframe_and_snapshots_keep_the_last_one()
    {
        var (init, fragments) = await RunA.Value;
        var channel = new LiveChannel("cam");
        channel.PublishInit(init);
        // Nobody watches: keyframes arrive, delta frames are skipped by the reader.
        foreach (var f in fragments.Take(38))
            if (f.IsKeyframe) channel.Publish(f); else channel.PublishSkipped();
        Assert.Equal((init, fragments[25]), channel.LatestKeyframe());

        using var viewer = channel.Subscribe();
        Assert.Equal([init], Drain(viewer)); // not the keyframe with a hole after it
        foreach (var f in fragments.Skip(38).Take(14)) channel.Publish(f);
        var got = Drain(viewer);
        Assert.Equal(fragments.Skip(50).Take(2), got.Cast<LiveFragment>());
        Assert.Equal(0, channel.Drops);
    }

    [Fact]
    public async Task A_slow_viewer_skips_to_the_next_keyframe_while_a_fast_one_gets_everything()
    {
        var (init, fragments) = await RunA.Value;
        var channel = new LiveChannel("cam", new LiveLimits { MaxLag = TimeSpan.FromSeconds(0.5) });
        channel.PublishInit(init);
        using var fast = channel.Subscribe();
        using var slow = channel.Subscribe();
        var fastGot = new List<LivePiece>();
        var slowAll = new List<LivePiece>();
        for (var i = 0; i < fragments.Count; i++)
        {
            channel.Publish(fragments[i]); // never waits, however far behind the slow viewer is
            fastGot.AddRange(Drain(fast));
            if (i % 3 == 0 && slow.TryRead(out var piece)) slowAll.Add(piece); // a third of the pace
        }
        slowAll.AddRange(Drain(slow));
        var slowGot = slowAll.Skip(1).Cast<LiveFragment>().ToList();

        Assert.Equal([init, .. fragments], fastGot);
        Assert.Equal(0, fast.Dropped);
        Assert.True(slow.Dropped > 0);
        Assert.Equal(fragments.Count, slowGot.Count + slow.Dropped);
        Assert.Equal(slow.Dropped, channel.Drops);
        // What the slow viewer kept starts at a keyframe and only jumps to keyframes, so it decodes throughout.
        Assert.True(slowGot[0].IsKeyframe);
        for (var i = 1; i < slowGot.Count; i++)
            if (fragments.IndexOf(slowGot[i]) != fragments.IndexOf(slowGot[i - 1]) + 1) Assert.True(slowGot[i].IsKeyframe, $"jump to {i}");
        var file = Fmp4StreamReaderTests.Write(init, slowGot);
        try { Assert.Equal(slowGot.Count, Ffprobe.DecodedFrames(file)); }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task A_new_run_sends_its_init_and_drops_what_was_queued_of_the_old_one()
    {
        var (a, fa) = await RunA.Value;
        var (b, fb) = await RunB.Value;
        var channel = new LiveChannel("cam");
        channel.PublishInit(a);
        foreach (var f in fa.Take(10)) channel.Publish(f);
        using var viewer = channel.Subscribe();
        Assert.Same(a, await viewer.ReadAsync());

        channel.EndRun();
        Assert.Null(channel.Init);
        Assert.Null(channel.LatestKeyframe());
        using var waiting = channel.Subscribe();
        var pending = waiting.ReadAsync();
        Assert.False(pending.IsCompleted); // no ffmpeg: nothing to show yet

        channel.PublishInit(b);
        channel.Publish(fb[0]);
        Assert.Same(b, await pending);
        Assert.Same(b, await viewer.ReadAsync());
        Assert.Same(fb[0], await viewer.ReadAsync());
        Assert.Same(fb[0], await waiting.ReadAsync());
        Assert.NotEqual(a.Codec, b.Codec);
    }

    [Fact]
    public async Task Closing_the_channel_ends_every_viewer_and_leaving_unsubscribes()
    {
        var (init, _) = await RunA.Value;
        var channel = new LiveChannel("cam");
        channel.PublishInit(init);
        var leaving = channel.Subscribe();
        using var staying = channel.Subscribe();
        leaving.Dispose();
        Assert.Equal(1, channel.Viewers);
        Assert.Same(init, await staying.ReadAsync());
        var pending = staying.ReadAsync();
        channel.Close();
        Assert.Null(await pending);
    }

    [Fact]
    public void Progress_lines_are_told_apart_from_ffmpeg_log_lines()
    {
        string[] progress = ["frame=80", "fps=39.25", "stream_0_1_q=-1.0", "bitrate= 540.5kbits/s", "total_size=210780", "out_time_us=3120011",
            "out_time_ms=3120011", "out_time=00:00:03.120011", "dup_frames=0", "drop_frames=0", "speed=1.53x", "progress=continue"];
        string[] log = ["[segment @ 0x5640ca798480] Non-monotonous DTS in output stream 0:0; previous: 0, current: 0; changing to 1.",
            "rtsp://***@h/x: Server returned 401 Unauthorized (authorization failed)", "[h264 @ 0x1] frame=3 is corrupt", ""];
        Assert.All(progress, l => Assert.True(ProgressParser.IsProgressLine(l), l));
        Assert.All(log, l => Assert.False(ProgressParser.IsProgressLine(l), l));
    }
}
