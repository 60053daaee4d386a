using Argus.Core.Cameras;
using Argus.Core.Recording;
using Argus.Core.Time;

namespace Argus.Media.Tests;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<List<Segment>> Seed(StorageRig rig, string camera, int count, int bytes)
    {
        var list = new List<Segment>();
        for (var i = 0; i < count; i++)
        {
            var start = T0.AddSeconds(10 * i);
            var rel = Argus.Media.Recording.RecordingLayout.RelativePath(camera, start);
            var path = rig.Layout.FullPath(rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, new byte[bytes]);
            var s = new Segment(0, camera, start, start.AddSeconds(10), bytes, rel);
            list.Add(s with { Id = await rig.Index.AddAsync(s) });
        }
        return list;
    }

    [Fact]
    public async Task Quota_deletes_oldest_first_and_skips_evidence_locks()
    {
        await using var rig = await StorageRig.CreateAsync();
        var cam = CameraId.New();
        var segments = await Seed(rig, cam, 10, 1000);
        await rig.Locks.AddAsync(new EvidenceLock(0, cam, T0.AddSeconds(5), T0.AddSeconds(15), "case 7", "test", T0));   // segments 0 and 1
        rig.Options.QuotaBytes = 5000;

        var result = await rig.Retention().RunAsync();

        var kept = await rig.Index.ListAsync(cam, new TimeRange(T0.AddDays(-1), T0.AddDays(1)));
        Assert.Equal([0, 1, 7, 8, 9], kept.Select(k => segments.FindIndex(s => s.Start == k.Start)));
        Assert.Equal(5, result.DeletedForSpace);
        foreach (var s in segments)
            Assert.Equal(kept.Any(k => k.Start == s.Start), File.Exists(rig.Layout.FullPath(s.Path)));
    }

    [Fact]
    public async Task Max_age_applies_per_camera()
    {
        await using var rig = await StorageRig.CreateAsync();
        var old = CameraId.New();
        var keep = CameraId.New();
        await Seed(rig, old, 3, 100);
        await Seed(rig, keep, 3, 100);
        await rig.Cameras.AddAsync(new CameraConfig { Id = old, Name = "short", Main = SourceUrl.Parse("rtsp://h/a"), RetentionMaxAge = TimeSpan.FromDays(1) });
        await rig.Cameras.AddAsync(new CameraConfig { Id = keep, Name = "no limit", Main = SourceUrl.Parse("rtsp://h/b") });

        var result = await rig.Retention().RunAsync();

        Assert.Equal(3, result.DeletedByAge);
        Assert.Empty(await rig.Index.ListAsync(old, new TimeRange(T0.AddDays(-1), T0.AddDays(1))));
        Assert.Equal(3, (await rig.Index.ListAsync(keep, new TimeRange(T0.AddDays(-1), T0.AddDays(1)))).Count);
    }

    [Fact]
    public async Task Disk_nearly_full_with_only_locked_recordings_suspends_recording_until_space_returns()
    {
        await using var rig = await StorageRig.CreateAsync();
        var cam = CameraId.New();
        await Seed(rig, cam, 4, 1000);
        await rig.Locks.AddAsync(new EvidenceLock(0, cam, T0, T0.AddMinutes(5), "everything is evidence", "test", T0));
        rig.Options.MinFreeBytes = 1000;
        rig.Options.CriticalFreeBytes = 400;
        rig.DiskSpace.Free = 300;

        var result = await rig.Retention().RunAsync();
        Assert.True(result.SpaceCritical);
        Assert.True(rig.Gate.IsClosed);
        Assert.Contains("recording suspended", rig.Gate.Reason);
        Assert.Equal(4, (await rig.Index.ListAsync(cam, new TimeRange(T0.AddDays(-1), T0.AddDays(1)))).Count); // evidence untouched

        rig.DiskSpace.Free = 450;   // above the floor, but not by enough to resume
        await rig.Retention().RunAsync();
        Assert.True(rig.Gate.IsClosed);
        rig.DiskSpace.Free = 5000;
        await rig.Retention().RunAsync();
        Assert.False(rig.Gate.IsClosed);
    }

    [Fact]
    public async Task A_closed_storage_gate_stops_a_real_recorder_and_opening_it_resumes()
    {
        await using var rig = await StorageRig.CreateAsync();
        await using var host = rig.Recorders();
        var id = CameraId.New();
        await host.EnsureRecordingAsync(new CameraConfig { Id = id, Name = "file", Main = SourceUrl.Parse(Fixtures.Asset("videos/traffic_cam_multilane.mp4")) });
        Assert.True(await Until(() => host.Health(id)!.Status == CameraStatus.Online, 15));

        rig.Gate.Close("recording suspended: test");
        Assert.True(await Until(() => host.Health(id)!.Status == CameraStatus.Offline, 10));
        Assert.Contains("recording suspended", host.Health(id)!.LastError);
        await Task.Delay(2000);
        Assert.Equal(CameraStatus.Offline, host.Health(id)!.Status);   // it did not restart behind the gate

        rig.Gate.Open();
        Assert.True(await Until(() => host.Health(id)!.Status == CameraStatus.Online, 15));
        Assert.Equal(0, host.Health(id)!.Restarts);  // a full disk is not the camera's failure
    }

    private static async Task<bool> Until(Func<bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(200);
        }
        return condition();
    }
}
