using Argus.Media.Ffmpeg;

namespace Argus.Media.Tests;

/// <summary>The in-process fMP4 reader must agree with ffprobe on real recorder output, including truncated files.</summary>
public sealed class Mp4InspectorTests : IDisposable
{
    private readonly string _dir = Fixtures.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A segment as the recorder writes it: stream copy into fragmented MP4 with 1 s fragments.</summary>
    private string Segment(string source, double seconds, string name)
    {
        var output = Path.Combine(_dir, name);
        Fixtures.Ffmpeg("-i", source, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-map", "0:v:0", "-c", "copy",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", "-f", "mp4", output);
        return output;
    }

    [Theory]
    [InlineData("videos/traffic_cam_multilane.mp4", 640, 360)]
    [InlineData("videos/intel_one-by-one-person-detection.mp4", 768, 432)]
    [InlineData("videos/dashcam_plate_KA22P3368.mp4", 552, 530)]
    public void Duration_codec_and_size_match_ffprobe(string asset, int width, int height)
    {
        var file = Segment(Fixtures.Asset(asset), 4, "seg.mp4");
        var r = Mp4Inspector.Inspect(file);
        Assert.NotNull(r);
        Assert.True(r.Valid, r.Error);
        Assert.Equal("h264", r.VideoCodec);
        Assert.Equal(width, r.Width);
        Assert.Equal(height, r.Height);
        Assert.InRange(r.Duration.TotalSeconds, Fixtures.FfprobeDuration(file) - 0.05, Fixtures.FfprobeDuration(file) + 0.05);
    }

    [Fact]
    public void A_truncated_file_counts_only_its_complete_fragments()
    {
        var file = Segment(Fixtures.Asset("videos/traffic_cam_multilane.mp4"), 8, "whole.mp4");
        var whole = Mp4Inspector.Inspect(file)!.Duration.TotalSeconds;
        var bytes = File.ReadAllBytes(file);
        var cut = Path.Combine(_dir, "cut.mp4");
        File.WriteAllBytes(cut, bytes[..(int)(bytes.Length * 0.6)]);
        var r = Mp4Inspector.Inspect(cut);
        Assert.NotNull(r);
        Assert.True(r.Valid);
        Assert.InRange(r.Duration.TotalSeconds, 1, whole - 0.5);
        // ffprobe plays the same truncated file to the same point (its last complete fragment).
        Assert.InRange(r.Duration.TotalSeconds, Fixtures.FfprobeDuration(cut) - 1.05, Fixtures.FfprobeDuration(cut) + 0.05);
    }

    [Fact]
    public void Header_only_and_garbage_files_are_not_valid_video()
    {
        var file = Segment(Fixtures.Asset("videos/traffic_cam_multilane.mp4"), 4, "x.mp4");
        var bytes = File.ReadAllBytes(file);
        var moovOnly = Path.Combine(_dir, "moov-only.mp4");
        File.WriteAllBytes(moovOnly, bytes[..1200]);
        Assert.False(Mp4Inspector.Inspect(moovOnly) is { Valid: true });

        var garbage = Path.Combine(_dir, "garbage.mp4");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        Assert.False(Mp4Inspector.Inspect(garbage) is { Valid: true });

        var empty = Path.Combine(_dir, "empty.mp4");
        File.WriteAllBytes(empty, []);
        Assert.Null(Mp4Inspector.Inspect(empty));
    }

    [Fact]
    public void A_plain_mp4_is_left_to_ffprobe()
    {
        var plain = Path.Combine(_dir, "plain.mp4");
        Fixtures.Ffmpeg("-i", Fixtures.Asset("videos/traffic_cam_multilane.mp4"), "-t", "2", "-c", "copy", "-movflags", "+faststart", plain);
        Assert.Null(Mp4Inspector.Inspect(plain));
    }
}
