using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>Two real RTSP cameras recorded for 30 s: contiguous, playable segments and live health.</summary>
public sealed class RecordingTests() : ServerWithCameras(new[] { "--synthetic", "synth:640x360@25:800", "--file", $"traffic={Repo.Asset("videos/traffic_cam_multilane.mp4")}" })
{
    [Fact]
    public async Task Two_cameras_recorded_for_30_seconds_give_contiguous_playable_segments()
    {
        var started = DateTimeOffset.UtcNow;
        var a = await Server.AddCameraAsync(new { name = "synthetic", mainUrl = Bed.Url("synth") });
        var b = await Server.AddCameraAsync(new { name = "traffic", mainUrl = Bed.Url("traffic"), transport = "udp" });

        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await Server.CameraAsync(a))["status"]!.GetValue<string>() == "online" &&
            (await Server.CameraAsync(b))["status"]!.GetValue<string>() == "online", TimeSpan.FromSeconds(20)), Server.ReadLog());

        await Task.Delay(TimeSpan.FromSeconds(32));
        foreach (var id in new[] { a, b })
        {
            var cam = await Server.CameraAsync(id);
            Assert.Equal("online", cam["status"]!.GetValue<string>());
            Assert.InRange(cam["fps"]!.GetValue<double>(), 20, 30);
            Assert.True(cam["bitrateKbps"]!.GetValue<double>() > 10, cam.ToJsonString());
            Assert.NotNull(cam["lastFrameAt"]);

            var recs = await Server.RecordingsAsync(id, started, DateTimeOffset.UtcNow);
            Assert.True(recs.Count >= 3, $"{recs.Count} segments");
            Assert.All(recs, r => Assert.InRange(r.Duration.TotalSeconds, 0.5, 12.5));
            for (var i = 1; i < recs.Count; i++)
            {
                var gap = (recs[i].Start - recs[i - 1].End).TotalSeconds;
                Assert.InRange(gap, -0.2, 1.0);
            }
            var covered = recs.Sum(r => r.Duration.TotalSeconds);
            Assert.True(covered >= 25, $"only {covered:0.0} s recorded");

            // Every indexed file is on disk under camera/date/hour and decodes.
            var files = Directory.GetFiles(Path.Combine(Server.DataDir, "recordings", id), "*.mp4", SearchOption.AllDirectories)
                .Where(f => !f.Contains(".incoming")).ToList();
            Assert.Equal(recs.Count, files.Count);
            foreach (var f in files)
            {
                var rel = Path.GetRelativePath(Path.Combine(Server.DataDir, "recordings", id), f).Split('/');
                Assert.Equal(3, rel.Length); // yyyy-MM-dd/HH/start.mp4
                Assert.True(Ffprobe.DecodedFrames(f) > 10, f);
            }
        }
    }
}
