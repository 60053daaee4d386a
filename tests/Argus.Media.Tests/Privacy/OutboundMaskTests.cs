using Argus.Core.Cameras;
using Argus.Core.Geometry;
using Argus.Core.Privacy;
using Argus.Core.Recording;
using Argus.Core.Time;
using Argus.Media.Export;
using Argus.Media.Ffmpeg;
using Argus.Media.Live;
using Argus.Media.Privacy;
using Argus.Media.Recording;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Argus.Media.Tests.Privacy;

/// <summary>
/// A camera that is not privacy-critical keeps unmasked recordings; snapshots, exports and playback apply its masks.
/// The recording here is a real 10 s fMP4 segment cut from the traffic clip, as the recorder writes them.
/// </summary>
public sealed class OutboundMaskTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly IOptions<FfmpegOptions> Ffmpeg = Options.Create(new FfmpegOptions());
    private StorageRig _rig = null!;
    private Segment _segment = null!;
    private readonly string _camera = CameraId.New();

    public async Task InitializeAsync()
    {
        _rig = await StorageRig.CreateAsync();
        var relative = RecordingLayout.RelativePath(_camera, T0);
        var path = _rig.Layout.FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Fixtures.Ffmpeg("-i", PrivacyRecordingTests.Clip, "-t", "10", "-map", "0:v", "-c", "copy",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", path);
        var end = T0.AddSeconds(Fixtures.FfprobeDuration(path));
        var id = await _rig.Index.AddAsync(new Segment(0, _camera, T0, end, new FileInfo(path).Length, relative));
        _segment = new Segment(id, _camera, T0, end, new FileInfo(path).Length, relative);
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static FixedPrivacy Masked(params Polygon[] masks) => new(new CameraPrivacy(masks, Critical: false));

    [Fact]
    public async Task A_snapshot_from_the_recording_is_masked()
    {
        await using var recorders = _rig.Recorders();
        var snapshot = await _rig.Snapshots(recorders, Masked(PrivacyRecordingTests.Pentagon)).GetAsync(_camera);
        Assert.Equal(SnapshotSource.Recording, snapshot?.Source);
        MaskCheck.AssertMaskedImage(snapshot!.Jpeg, [PrivacyRecordingTests.Pentagon], _rig.Dir, "snapshot");
    }

    [Fact]
    public async Task An_export_is_re_encoded_with_the_mask()
    {
        var exporter = new ClipExporter(_rig.Layout, _rig.Index, Ffmpeg, Masked(PrivacyRecordingTests.Pentagon), NullLogger<ClipExporter>.Instance);
        var result = await exporter.ExportAsync(_camera, new TimeRange(T0.AddSeconds(2), T0.AddSeconds(8)), Path.Combine(_rig.Dir, "exports"));
        var (w, h, frames) = MaskCheck.DecodeGray(result.Path);
        Assert.Equal((640, 360), (w, h));
        Assert.True(frames.Count >= 6 * 25, $"{frames.Count} frames");
        new MaskCheck([PrivacyRecordingTests.Pentagon], w, h).AssertMasked(frames, "export");
    }

    [Fact]
    public async Task A_playback_segment_is_masked_fragmented_mp4_of_the_same_length()
    {
        var playback = new MaskedPlayback(_rig.Layout, Ffmpeg, NullLogger<MaskedPlayback>.Instance);
        var mask = PrivacyMask.From([PrivacyRecordingTests.Pentagon])!;
        var source = _rig.Layout.FullPath(_segment.Path);
        var path = await playback.GetAsync(_camera, _segment.Id, source, mask, CancellationToken.None);

        // Fragmented like the recordings, so the player appends it to Media Source Extensions as before.
        var inspected = Mp4Inspector.Inspect(path);
        Assert.NotNull(inspected);
        Assert.True(inspected.Valid);
        Assert.Equal(Fixtures.FfprobeDuration(source), inspected.Duration.TotalSeconds, 1);
        var (w, h, frames) = MaskCheck.DecodeGray(path);
        Assert.Equal(MaskCheck.DecodeGray(source).Frames.Count, frames.Count);
        new MaskCheck([PrivacyRecordingTests.Pentagon], w, h).AssertMasked(frames, "playback");

        // A second request is served from the cache; another mask is another file.
        Assert.Equal(path, await playback.GetAsync(_camera, _segment.Id, source, mask, CancellationToken.None));
        var other = PrivacyMask.From([Polygon.Create([new(0.6, 0.6), new(0.9, 0.6), new(0.9, 0.9)])])!;
        Assert.NotEqual(path, await playback.GetAsync(_camera, _segment.Id, source, other, CancellationToken.None));
    }

    [Fact]
    public async Task A_mask_covering_the_whole_frame_blacks_out_everything()
    {
        var whole = Polygon.Create([new(0, 0), new(1, 0), new(1, 1), new(0, 1)]);
        var exporter = new ClipExporter(_rig.Layout, _rig.Index, Ffmpeg, Masked(whole), NullLogger<ClipExporter>.Instance);
        var result = await exporter.ExportAsync(_camera, new TimeRange(T0, T0.AddSeconds(4)), Path.Combine(_rig.Dir, "exports"));
        var (_, _, frames) = MaskCheck.DecodeGray(result.Path);
        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.True(f.Max() <= MaskCheck.Black, $"grey {f.Max()} in a fully masked frame"));
    }

    [Fact]
    public async Task Without_masks_an_export_stays_a_stream_copy()
    {
        var exporter = new ClipExporter(_rig.Layout, _rig.Index, Ffmpeg, new NoCameraPrivacy(), NullLogger<ClipExporter>.Instance);
        var result = await exporter.ExportAsync(_camera, new TimeRange(T0, T0.AddSeconds(4)), Path.Combine(_rig.Dir, "exports"));
        var (w, h, frames) = MaskCheck.DecodeGray(result.Path);
        var check = new MaskCheck([PrivacyRecordingTests.Pentagon], w, h);
        Assert.All(frames, f => Assert.True(check.Measure(f).MaxInside > 100));
        Assert.DoesNotContain(Directory.EnumerateFiles(_rig.Dir, "*.pam", SearchOption.AllDirectories), _ => true);
    }
}
