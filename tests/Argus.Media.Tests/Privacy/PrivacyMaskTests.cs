using System.Text;
using Argus.Core.Cameras;
using Argus.Core.Geometry;
using Argus.Media.Ffmpeg;
using Argus.Media.Privacy;

namespace Argus.Media.Tests.Privacy;

public sealed class PrivacyMaskTests
{
    private static readonly Polygon Square = Polygon.Create([new(0.25, 0.25), new(0.75, 0.25), new(0.75, 0.75), new(0.25, 0.75)]);
    private static readonly SourceUrl Camera = SourceUrl.Parse("rtsp://10.0.0.5:554/stream1");

    [Fact]
    public void No_polygons_means_no_mask()
    {
        Assert.Null(PrivacyMask.From([]));
        Assert.Null(PrivacyMask.From(null));
    }

    [Fact]
    public void The_mask_is_the_polygon_grown_by_the_dilation_and_nothing_more()
    {
        var grid = PrivacyMask.From([Square])!.Rasterise(640, 360);
        var r = PrivacyMask.DilationFor(640);
        Assert.Equal(2, r);
        // Pixel centres inside the square: columns 160..479, rows 90..269; grown by r on every side.
        for (var y = 0; y < 360; y++)
            for (var x = 0; x < 640; x++)
            {
                var expected = x >= 160 - r && x <= 479 + r && y >= 90 - r && y <= 269 + r;
                Assert.True(expected == (grid[y * 640 + x] == 255), $"pixel {x},{y}");
            }
    }

    [Fact]
    public void A_polygon_covering_the_frame_masks_every_pixel()
    {
        var whole = Polygon.Create([new(0, 0), new(1, 0), new(1, 1), new(0, 1)]);
        Assert.All(PrivacyMask.From([whole])!.Rasterise(64, 36), b => Assert.Equal(255, b));
    }

    [Fact]
    public void Dilation_scales_with_width_so_a_nominal_mask_scaled_down_keeps_a_margin()
    {
        Assert.Equal(6, PrivacyMask.DilationFor(1920));
        Assert.Equal(2, PrivacyMask.DilationFor(320));
        Assert.Equal(12, PrivacyMask.DilationFor(3840));
    }

    [Fact]
    public void The_mask_file_is_a_grey_alpha_pam_named_by_the_polygons_and_size()
    {
        var dir = Fixtures.TempDir();
        try
        {
            var mask = PrivacyMask.From([Square])!;
            var path = mask.WriteFile(dir, 64, 36);
            Assert.Equal($"privacy-{mask.Key}-64x36.pam", Path.GetFileName(path));
            var bytes = File.ReadAllBytes(path);
            var header = "P7\nWIDTH 64\nHEIGHT 36\nDEPTH 2\nMAXVAL 255\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n";
            Assert.Equal(header, Encoding.ASCII.GetString(bytes, 0, header.Length));
            Assert.Equal(header.Length + 64 * 36 * 2, bytes.Length);
            Assert.Equal(mask.Rasterise(64, 36), bytes.Skip(header.Length).Where((_, i) => i % 2 == 1));
            Assert.All(bytes.Skip(header.Length).Where((_, i) => i % 2 == 0), b => Assert.Equal(0, b));
            // Unknown size: the nominal one (the filter scales it to the frame).
            Assert.EndsWith("-1920x1080.pam", mask.WriteFile(dir, 0, 0));
            // A changed mask clears the old one's files, not its own.
            var old = PrivacyMask.From([Polygon.Create([new(0, 0), new(0.5, 0), new(0, 0.5)])])!.WriteFile(dir, 64, 36);
            mask.RemoveOthers(dir);
            Assert.False(File.Exists(old));
            Assert.True(File.Exists(path));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Different_polygons_have_different_keys()
    {
        var other = Polygon.Create([new(0.25, 0.25), new(0.75, 0.25), new(0.75, 0.76), new(0.25, 0.75)]);
        Assert.NotEqual(PrivacyMask.From([Square])!.Key, PrivacyMask.From([other])!.Key);
        Assert.Equal(PrivacyMask.From([Square])!.Key, PrivacyMask.From([Square])!.Key);
    }

    [Fact]
    public void Without_a_mask_the_recording_command_is_stream_copy_only()
    {
        var args = RecordCommand.Build(Camera, RtspTransport.Tcp, "/d/run-%06d.mp4", "/d/run.csv");
        Assert.DoesNotContain("-filter_complex", args);
        Assert.DoesNotContain("libx264", args);
    }

    [Fact]
    public void A_critical_camera_encodes_once_and_tees_segments_and_live()
    {
        var args = RecordCommand.Build(Camera, RtspTransport.Tcp, "/d/run-%06d.mp4", "/d/run.csv", true, new RecordMask("/d/m.pam", Critical: true, (640, 360))).ToList();
        Assert.True(args.IndexOf("-reinit_filter") is var reinit && reinit > 0 && reinit < args.IndexOf("-i"));
        Assert.Single(args, a => a == "libx264");
        Assert.DoesNotContain("copy", args);
        Assert.Equal("tee", args[args.LastIndexOf("-f") + 1]);
        Assert.StartsWith("[f=segment:", args[^1]);
        Assert.Contains("/d/run-%06d.mp4|[f=mp4:", args[^1]);
        Assert.Throws<ArgumentException>(() =>
            RecordCommand.Build(Camera, RtspTransport.Tcp, "/d:x/run-%06d.mp4", "/d/run.csv", true, new RecordMask("/d/m.pam", Critical: true)));
    }

    [Fact]
    public void Other_masked_cameras_encode_the_live_output_and_copy_the_segments()
    {
        var args = RecordCommand.Build(Camera, RtspTransport.Tcp, "/d/run-%06d.mp4", "/d/run.csv", true, new RecordMask("/d/m.pam", Critical: false)).ToList();
        var live = args.IndexOf("pipe:1");
        Assert.True(args.IndexOf("libx264") is var x264 && x264 > 0 && x264 < live);
        Assert.True(args.IndexOf("copy") > live);
        // No live output: nothing to mask at the recorder.
        var noLive = RecordCommand.Build(Camera, RtspTransport.Tcp, "/d/run-%06d.mp4", "/d/run.csv", false, new RecordMask("/d/m.pam", Critical: false));
        Assert.DoesNotContain("-filter_complex", noLive);
    }

    [Fact]
    public void Continuous_encodes_of_a_known_size_are_capped_at_a_tenth_of_a_bit_per_pixel()
    {
        Assert.Equal(5184, PrivacyMask.MaxKbps(1920, 1080));
        var live = PrivacyMask.For(MaskUse.Live, "/d/m.pam", (1920, 1080)).Output.ToList();
        Assert.Equal("5184k", live[live.IndexOf("-maxrate") + 1]);
        Assert.DoesNotContain("-maxrate", PrivacyMask.For(MaskUse.Live, "/d/m.pam").Output);
        Assert.DoesNotContain("-maxrate", PrivacyMask.For(MaskUse.Export, "/d/m.pam", (1920, 1080)).Output);
    }

    [Fact]
    public void The_filter_graph_is_built_from_numbers_only()
    {
        var masked = PrivacyMask.For(MaskUse.Export, "/data/x/privacy-ab-640x360.pam", (640, 360));
        var graph = masked.Output[masked.Output.ToList().IndexOf("-filter_complex") + 1];
        Assert.DoesNotContain("/data", graph);
        Assert.Contains("scale=640:360", graph);
        Assert.Equal(["-f", "pam_pipe", "-i", "/data/x/privacy-ab-640x360.pam"], masked.Input);
        Assert.Equal(["-reinit_filter", "0"], masked.VideoInputOptions);
        Assert.Empty(PrivacyMask.For(MaskUse.Export, "/data/x/privacy-ab-1920x1080.pam").VideoInputOptions);
    }

    [Fact]
    public void Frames_earlier_than_the_mask_image_are_masked_too()
    {
        // overlay passes through unblended any frame older than its overlay's first frame: a stream starting at -3 s
        // leaked its first frames with the mask stamped at 0.
        var dir = Fixtures.TempDir();
        try
        {
            var mask = PrivacyMask.From([PrivacyRecordingTests.Pentagon])!;
            var masked = PrivacyMask.From([PrivacyRecordingTests.Pentagon])!.Prepare(MaskUse.Playback, dir, (640, 360));
            var output = Path.Combine(dir, "early.mp4");
            Fixtures.Ffmpeg([.. masked.Around(["-itsoffset", "-3"], PrivacyRecordingTests.Clip), output]);
            var (w, h, frames) = MaskCheck.DecodeGray(output);
            Assert.True(frames.Count >= 100, $"{frames.Count} frames");
            new MaskCheck([PrivacyRecordingTests.Pentagon], w, h).AssertMasked(frames, "early frames");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_resolution_change_mid_stream_stays_masked()
    {
        // A camera switching from 640x360 to 960x540 in one session (in-band parameter sets, as over RTSP). ffmpeg's
        // default rebuilds the filter graph on such a change, without the one-frame mask: every later frame leaked.
        var dir = Fixtures.TempDir();
        try
        {
            var stream = Path.Combine(dir, "switch.ts");
            Fixtures.Ffmpeg("-i", PrivacyRecordingTests.Clip, "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", Path.Combine(dir, "a.ts"));
            Fixtures.Ffmpeg("-i", PrivacyRecordingTests.Clip, "-t", "3", "-vf", "scale=960:540", "-c:v", "libx264", "-preset", "ultrafast", Path.Combine(dir, "b.ts"));
            File.WriteAllBytes(stream, [.. File.ReadAllBytes(Path.Combine(dir, "a.ts")), .. File.ReadAllBytes(Path.Combine(dir, "b.ts"))]);

            var masked = PrivacyMask.From([PrivacyRecordingTests.Pentagon])!.Prepare(MaskUse.Playback, dir, (640, 360));
            var output = Path.Combine(dir, "masked.mp4");
            Fixtures.Ffmpeg([.. masked.Around([], stream), output]);
            var (w, h, frames) = MaskCheck.DecodeGray(output);
            Assert.Equal((640, 360), (w, h)); // the later part scaled into the first size, mask and all
            Assert.True(frames.Count >= 140, $"{frames.Count} frames");
            new MaskCheck([PrivacyRecordingTests.Pentagon], w, h).AssertMasked(frames, "after the switch");
        }
        finally { Directory.Delete(dir, true); }
    }
}
