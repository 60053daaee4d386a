using Argus.Core.Cameras;
using Argus.Core.Geometry;
using Argus.Core.Privacy;
using Argus.Core.Time;
using Argus.Media.Live;

namespace Argus.Media.Tests.Privacy;

internal sealed class FixedPrivacy(CameraPrivacy privacy) : ICameraPrivacy
{
    public CameraPrivacy Settings { get; set; } = privacy;
    public Task<CameraPrivacy> ForCameraAsync(string cameraId, CancellationToken ct = default) => Task.FromResult(Settings);
}

/// <summary>Real recorders (ffmpeg on the real 640x360 traffic clip, looped as a camera) with a privacy mask.</summary>
public sealed class PrivacyRecordingTests
{
    /// <summary>Not a rectangle: the check covers the shape, not a bounding box.</summary>
    internal static readonly Polygon Pentagon = Polygon.Create([new(0.10, 0.10), new(0.50, 0.15), new(0.45, 0.60), new(0.20, 0.75), new(0.05, 0.40)]);

    internal static string Clip => Fixtures.Asset("videos/traffic_cam_multilane.mp4");

    [Fact]
    public void The_clip_has_picture_where_the_mask_goes()
    {
        // Without this the masked tests could pass on a clip that is dark there anyway.
        var (w, h, frames) = MaskCheck.DecodeGray(Clip);
        var check = new MaskCheck([Pentagon], w, h);
        Assert.True(check.InsidePixels > w * h / 10);
        Assert.All(frames.Take(50), f => Assert.True(check.Measure(f).MaxInside > 100));
    }

    [Fact]
    public async Task A_privacy_critical_camera_stores_no_pixel_of_the_masked_area()
    {
        await using var rig = await StorageRig.CreateAsync();
        var id = await RecordAndCheckLiveAsync(rig, critical: true);

        // Every video file the camera has on disk, indexed or not.
        var files = Directory.EnumerateFiles(rig.Layout.CameraDir(id), "*.mp4", SearchOption.AllDirectories).ToList();
        Assert.True((await Segments(rig, id)).Count >= 2);
        var frames = 0;
        foreach (var file in files)
        {
            var (w, h, decoded) = MaskCheck.DecodeGray(file);
            Assert.Equal((640, 360), (w, h));
            frames += new MaskCheck([Pentagon], w, h).AssertMasked(decoded, Path.GetFileName(file));
        }
        Assert.True(frames >= 250, $"only {frames} frames recorded"); // at least the first whole 10 s segment at 25 fps
    }

    [Fact]
    public async Task Other_cameras_record_by_stream_copy_but_their_live_view_is_masked()
    {
        await using var rig = await StorageRig.CreateAsync();
        var id = await RecordAndCheckLiveAsync(rig, critical: false);

        // The recording is the camera's own stream, untouched: the mask applies when it leaves the server.
        var segment = (await Segments(rig, id))[0];
        var (w, h, frames) = MaskCheck.DecodeGray(rig.Layout.FullPath(segment.Path));
        var check = new MaskCheck([Pentagon], w, h);
        Assert.All(frames, f => Assert.True(check.Measure(f).MaxInside > 100));
    }

    [Fact]
    public async Task A_mask_added_while_recording_restarts_the_camera_with_it()
    {
        await using var rig = await StorageRig.CreateAsync();
        var privacy = new FixedPrivacy(CameraPrivacy.None);
        await using var host = rig.Recorders(privacy);
        var camera = new CameraConfig { Id = CameraId.New(), Name = "changing", Main = SourceUrl.Parse(Clip) };
        await host.EnsureRecordingAsync(camera);
        Assert.True(await Until(() => Task.FromResult(host.Live(camera.Id)?.LatestKeyframe() is not null), 20));
        var check = new MaskCheck([Pentagon], 640, 360);
        Assert.True(check.Measure(LiveFrame(host, camera.Id, rig.Dir)).MaxInside > 100); // unmasked so far

        privacy.Settings = new CameraPrivacy([Pentagon], Critical: false);
        await host.EnsureRecordingAsync(camera); // what the server does when a camera's masks change
        // The old run's pictures are dropped with it: the next keyframe is the new run's.
        Assert.True(await Until(() => Task.FromResult(host.Live(camera.Id)?.LatestKeyframe() is not null), 20));
        check.AssertMasked([LiveFrame(host, camera.Id, rig.Dir)], "live after the change");
    }

    /// <summary>The live channel's latest keyframe, decoded to grey.</summary>
    private static byte[] LiveFrame(Argus.Media.Recording.RecorderHost host, string id, string dir)
    {
        var (init, keyframe) = host.Live(id)!.LatestKeyframe()!.Value;
        var file = Path.Combine(dir, Guid.NewGuid().ToString("N")[..8] + ".mp4");
        File.WriteAllBytes(file, [.. init.Data, .. keyframe.Data]);
        return MaskCheck.DecodeGray(file).Frames[0];
    }

    /// <summary>
    /// Records the clip with the pentagon mask until one whole segment is indexed, checks the live output's latest
    /// keyframe (the 640x360 clip's size) is masked, and stops (the trailing segment is finalized too). Returns the camera id.
    /// </summary>
    internal static async Task<string> RecordAndCheckLiveAsync(StorageRig rig, bool critical)
    {
        var privacy = new FixedPrivacy(new CameraPrivacy([Pentagon], critical));
        await using var host = rig.Recorders(privacy);
        var id = CameraId.New();
        await host.EnsureRecordingAsync(new CameraConfig { Id = id, Name = "masked", Main = SourceUrl.Parse(Clip) });
        Assert.True(await Until(async () => (await Segments(rig, id)).Count >= 1 && host.Live(id)?.LatestKeyframe() is not null, 40));
        var live = LiveFrame(host, id, rig.Dir);
        var snapshot = await rig.Snapshots(host, privacy).GetAsync(id);
        await host.StopAsync(id);
        Assert.Equal(SnapshotSource.Live, snapshot?.Source);
        MaskCheck.AssertMaskedImage(snapshot!.Jpeg, [Pentagon], rig.Dir, "live snapshot");
        new MaskCheck([Pentagon], 640, 360).AssertMasked([live], "live");
        return id;
    }

    internal static async Task<IReadOnlyList<Argus.Core.Recording.Segment>> Segments(StorageRig rig, string id) =>
        await rig.Index.ListAsync(id, new TimeRange(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1)));

    internal static async Task<bool> Until(Func<Task<bool>> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(250);
        }
        return await condition();
    }
}
