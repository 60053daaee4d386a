using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>Two real RTSP cameras recorded for 30 s: contiguous, playable segments and live health.</summary>
public sealed class RecordingTests : IAsyncLifetime
{
    private TestBed _bed = null!;
    private ArgusServer _server = null!;

    public async Task InitializeAsync()
    {
        _bed = TestBed.Start("--synthetic", "synth:640x360@25:800", "--file", $"traffic={Repo.Asset("videos/traffic_cam_multilane.mp4")}");
        _server = await ArgusServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _bed.Dispose();
    }

    [Fact]
    public async Task Two_cameras_recorded_for_30_seconds_give_contiguous_playable_segments()
    {
        var started = DateTimeOffset.UtcNow;
        var a = await _server.AddCameraAsync(new { name = "synthetic", mainUrl = _bed.Url("synth") });
        var b = await _server.AddCameraAsync(new { name = "traffic", mainUrl = _bed.Url("traffic"), transport = "udp" });

        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await _server.CameraAsync(a))["status"]!.GetValue<string>() == "online" &&
            (await _server.CameraAsync(b))["status"]!.GetValue<string>() == "online", TimeSpan.FromSeconds(20)), _server.ReadLog());

        await Task.Delay(TimeSpan.FromSeconds(32));
        foreach (var id in new[] { a, b })
        {
            var cam = await _server.CameraAsync(id);
            Assert.Equal("online", cam["status"]!.GetValue<string>());
            Assert.InRange(cam["fps"]!.GetValue<double>(), 20, 30);
            Assert.True(cam["bitrateKbps"]!.GetValue<double>() > 10, cam.ToJsonString());
            Assert.NotNull(cam["lastFrameAt"]);

            var recs = await _server.RecordingsAsync(id, started, DateTimeOffset.UtcNow);
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
            var files = Directory.GetFiles(Path.Combine(_server.DataDir, "recordings", id), "*.mp4", SearchOption.AllDirectories)
                .Where(f => !f.Contains(".incoming")).ToList();
            Assert.Equal(recs.Count, files.Count);
            foreach (var f in files)
            {
                var rel = Path.GetRelativePath(Path.Combine(_server.DataDir, "recordings", id), f).Split('/');
                Assert.Equal(3, rel.Length); // yyyy-MM-dd/HH/start.mp4
                Assert.True(Ffprobe.DecodedFrames(f) > 10, f);
            }
        }
    }
}
