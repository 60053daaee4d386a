using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>A camera that goes away and comes back: recording resumes quickly and the gap is explained by events.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private TestBed _bed = null!;
    private TestBed _steady = null!;
    private ArgusServer _server = null!;

    public async Task InitializeAsync()
    {
        _bed = TestBed.Start("--synthetic", "cam:640x360@25:600");
        _steady = TestBed.Start("--synthetic", "cam:640x360@25:600");
        _server = await ArgusServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _bed.Dispose();
        _steady.Dispose();
    }

    [Fact]
    public async Task Camera_restart_resumes_recording_within_5_seconds_and_the_gap_shows_as_events()
    {
        var id = await _server.AddCameraAsync(new { name = "flaky", mainUrl = _bed.Url("cam") });
        var other = await _server.AddCameraAsync(new { name = "steady", mainUrl = _steady.Url("cam") });
        Assert.True(await ArgusServer.WaitUntilAsync(async () => await Status(id) == "online", TimeSpan.FromSeconds(20)), _server.ReadLog());
        await Task.Delay(TimeSpan.FromSeconds(6));

        var down = DateTimeOffset.UtcNow;
        _bed.Stop();
        Assert.True(await ArgusServer.WaitUntilAsync(async () => await Status(id) == "offline", TimeSpan.FromSeconds(15)));
        await Task.Delay(TimeSpan.FromSeconds(12)); // long enough for the backoff to have grown past 5 s
        var otherBefore = (await _server.CameraAsync(other))["lastFrameAt"]!.GetValue<DateTimeOffset>();

        var up = DateTimeOffset.UtcNow;
        _bed.Restart();
        Assert.True(await ArgusServer.WaitUntilAsync(async () => await Status(id) == "online", TimeSpan.FromSeconds(5)),
            "not back online within 5 s of the camera returning\n" + _server.ReadLog());
        var resumed = DateTimeOffset.UtcNow;

        // The other camera never noticed.
        var otherCam = await _server.CameraAsync(other);
        Assert.Equal("online", otherCam["status"]!.GetValue<string>());
        Assert.Equal(0, otherCam["restarts"]!.GetValue<int>());
        // lastFrameAt moves with ffmpeg's progress reports (every 2 s): the flaky camera can be back sooner than that.
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await _server.CameraAsync(other))["lastFrameAt"]!.GetValue<DateTimeOffset>() > otherBefore, TimeSpan.FromSeconds(5)),
            "the steady camera's frames stopped during the other's outage");

        // Recording after the return: a segment starting within 5 s of the camera coming back.
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await _server.RecordingsAsync(id, up, DateTimeOffset.UtcNow.AddMinutes(1))).Any(r => r.Start >= up), TimeSpan.FromSeconds(25)));
        var after = (await _server.RecordingsAsync(id, up, DateTimeOffset.UtcNow.AddMinutes(1))).First(r => r.Start >= up);
        Assert.InRange((after.Start - up).TotalSeconds, 0, 5);

        var events = await _server.EventsAsync(id);
        var offline = Assert.Single(events, e => e.Type == "camera.offline");
        Assert.NotNull(offline.End);
        Assert.InRange((offline.Start - down).TotalSeconds, -3, 6);
        Assert.InRange((offline.End!.Value - up).TotalSeconds, -1, (resumed - up).TotalSeconds + 2);
        Assert.Contains(events, e => e.Type == "camera.online" && e.Start >= offline.End.Value.AddSeconds(-1));
        Assert.False(string.IsNullOrEmpty(offline.Detail), "the offline event says why");

        // The recordings before and after the outage are both there, separated by the explained gap.
        var before = await _server.RecordingsAsync(id, down.AddMinutes(-1), down);
        Assert.NotEmpty(before);
        Assert.True(before[^1].End <= offline.End.Value.AddSeconds(1));
    }

    private async Task<string> Status(string id) => (await _server.CameraAsync(id))["status"]!.GetValue<string>();
}
