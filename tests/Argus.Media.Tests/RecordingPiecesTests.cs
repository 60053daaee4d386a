using Argus.Core.Cameras;
using Argus.Media.Ffmpeg;
using Argus.Media.Recording;

namespace Argus.Media.Tests;

public class RecordingPiecesTests
{
    [Fact]
    public async Task Progress_blocks_are_reported_with_frames_and_time()
    {
        var text = "frame=10\nfps=25.0\nout_time_us=400000\nprogress=continue\nframe=35\nout_time_us=1400000\nprogress=end\n";
        var reports = new List<ProgressReport>();
        await ProgressReader.ReadAsync(new StringReader(text), reports.Add, CancellationToken.None);
        Assert.Equal([new ProgressReport(10, TimeSpan.FromMilliseconds(400), false), new ProgressReport(35, TimeSpan.FromMilliseconds(1400), true)], reports);
    }

    [Fact]
    public async Task The_segment_index_returns_each_new_row_id_and_lists_what_was_added()
    {
        await using var rig = await StorageRig.CreateAsync();
        var t0 = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        var a = await rig.Index.AddAsync(new Argus.Core.Recording.Segment(0, "cam-a", t0, t0.AddSeconds(10), 1000, "cam-a/x/1.mp4"));
        var b = await rig.Index.AddAsync(new Argus.Core.Recording.Segment(0, "cam-a", t0.AddSeconds(10), t0.AddSeconds(19.5), 2000, "cam-a/x/2.mp4"));
        Assert.NotEqual(a, b);
        var listed = await rig.Index.ListAsync("cam-a", new Argus.Core.Time.TimeRange(t0, t0.AddMinutes(1)));
        Assert.Equal([(a, t0, t0.AddSeconds(10), 1000L, "cam-a/x/1.mp4"), (b, t0.AddSeconds(10), t0.AddSeconds(19.5), 2000L, "cam-a/x/2.mp4")],
            listed.Select(s => (s.Id, s.Start, s.End, s.Bytes, s.Path)));
        // The same file twice is refused (unique path), not indexed twice.
        await Assert.ThrowsAnyAsync<Exception>(() => rig.Index.AddAsync(new Argus.Core.Recording.Segment(0, "cam-a", t0, t0.AddSeconds(10), 1000, "cam-a/x/1.mp4")));
        Assert.Equal(2, (await rig.Index.ListAsync("cam-a", new Argus.Core.Time.TimeRange(t0, t0.AddMinutes(1)))).Count);
    }

    [Fact]
    public void Layout_round_trips_and_refuses_to_leave_the_root()
    {
        var layout = new RecordingLayout("/srv/argus/recordings");
        var start = new DateTimeOffset(2026, 11, 25, 8, 9, 7, 123, TimeSpan.Zero);
        var rel = RecordingLayout.RelativePath("0a1b2c3d4e5f", start);
        Assert.Equal("0a1b2c3d4e5f/2026-11-25/08/20261125T080907.123Z.mp4", rel);
        Assert.True(RecordingLayout.TryParseRelative(rel, out var cam, out var back));
        Assert.Equal("0a1b2c3d4e5f", cam);
        Assert.Equal(start, back);
        Assert.Throws<ArgumentException>(() => layout.FullPath("../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => layout.CameraDir("../x"));
        Assert.False(RecordingLayout.TryParseRelative("x/../../a.mp4", out _, out _));
    }

    [Fact]
    public void Record_command_keeps_credentials_out_of_the_log_line_and_options_before_the_output()
    {
        var source = SourceUrl.Parse("rtsp://admin:hunter2@10.0.0.9:554/live");
        var args = RecordCommand.Build(source, RtspTransport.Udp, "/d/run-%06d.mp4", "/d/run.csv");
        Assert.Contains("rtsp://admin:hunter2@10.0.0.9:554/live", args);   // ffmpeg itself needs them
        Assert.DoesNotContain("hunter2", RecordCommand.ForLog(args));
        Assert.Equal("/d/run-%06d.mp4", args[^1]);                        // options after the output are ignored by ffmpeg
        Assert.Equal("udp", args[args.ToList().IndexOf("-rtsp_transport") + 1]);
        Assert.Contains("copy", args);
        var file = RecordCommand.Build(SourceUrl.Parse("/clips/a.mp4"), RtspTransport.Tcp, "/d/x-%06d.mp4", "/d/x.csv");
        Assert.Contains("-stream_loop", file);
    }

    [Fact]
    public void Record_command_fragments_as_long_as_asked_and_refuses_lengths_that_would_lose_more_or_cost_more()
    {
        var source = SourceUrl.Parse("rtsp://10.0.0.9:554/live");
        string Options(IReadOnlyList<string> args) => args[args.ToList().IndexOf("-segment_format_options") + 1];
        Assert.Contains($"frag_duration={(long)RecordCommand.DefaultFragment.TotalMicroseconds}:", Options(RecordCommand.Build(source, RtspTransport.Tcp, "/d/r-%06d.mp4", "/d/r.csv")));
        Assert.Contains("frag_duration=1000000:", Options(RecordCommand.Build(source, RtspTransport.Tcp, "/d/r-%06d.mp4", "/d/r.csv", fragment: TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordCommand.Build(source, RtspTransport.Tcp, "/d/r-%06d.mp4", "/d/r.csv", fragment: TimeSpan.FromMilliseconds(10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordCommand.Build(source, RtspTransport.Tcp, "/d/r-%06d.mp4", "/d/r.csv", fragment: TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Record_command_writes_live_video_to_stdout_unless_live_is_off()
    {
        var source = SourceUrl.Parse("rtsp://10.0.0.9:554/live");
        var args = RecordCommand.Build(source, RtspTransport.Tcp, "/d/run-%06d.mp4", "/d/run.csv").ToList();
        // Two outputs, live first: each output's options precede its name.
        Assert.True(args.IndexOf("pipe:1") < args.IndexOf("-segment_time"));
        Assert.Contains("+empty_moov+default_base_moof+frag_every_frame+skip_trailer", args);
        Assert.Equal("pipe:2", args[args.IndexOf("-progress") + 1]); // stdout carries video, so progress goes to stderr
        var off = RecordCommand.Build(source, RtspTransport.Tcp, "/d/run-%06d.mp4", "/d/run.csv", live: false);
        Assert.DoesNotContain("pipe:1", off);
        Assert.Equal(args.Count - RecordCommand.LiveOutput.Count, off.Count);
    }

    [Fact]
    public void The_telling_ffmpeg_line_is_chosen_as_the_error()
    {
        string[] lines = ["[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized", "rtsp://***@h/x: Server returned 401 Unauthorized (authorization failed)", "Exiting normally"];
        Assert.Contains("401", CameraRecorder.Summarize(lines, 1));
        string[] warnings = ["[segment @ 0x5] Non-monotonous DTS in output stream 0:0; previous: 0, current: 0; changing to 1."];
        Assert.Equal("the source ended the stream", CameraRecorder.Summarize(warnings, 0));
        Assert.Equal(warnings[0], CameraRecorder.Summarize(warnings, 1));
        Assert.Equal("ffmpeg exited with code 8", CameraRecorder.Summarize([], 8));
    }
}
