using System.Net.Http.Json;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>The server killed with SIGKILL mid-recording: at most ~2 s lost, and the index matches the disk after restart.</summary>
public sealed class CrashTests() : ServerWithCameras(new[] { "--synthetic", "cam:640x360@25:800" })
{
    private static bool FfmpegWritingTo(string dir) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsAsciiDigit)).Any(pid =>
        {
            try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains(dir) && File.ReadAllText($"/proc/{pid}/comm").Trim() == "ffmpeg"; }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        });

    [Fact]
    public async Task Sigkill_loses_at_most_two_seconds_and_reconcile_matches_index_to_disk()
    {
        var id = await Server.AddCameraAsync(new { name = "cam", mainUrl = Bed.Url("cam") });
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await Server.CameraAsync(id))["status"]!.GetValue<string>() == "online", TimeSpan.FromSeconds(20)));
        await Task.Delay(TimeSpan.FromSeconds(16)); // mid-way through the second segment

        var killedAt = DateTimeOffset.UtcNow;
        Server.Crash();
        // ffmpeg dies with the server: nothing keeps writing while Argus is down.
        var camDirPath = Path.Combine(Server.DataDir, "recordings", id);
        Assert.True(await ArgusServer.WaitUntilAsync(() => Task.FromResult(!FfmpegWritingTo(camDirPath)), TimeSpan.FromSeconds(3)), "ffmpeg outlived the server");
        await Task.Delay(TimeSpan.FromSeconds(2));

        // A stray file the index never heard of, and an index entry whose file is gone, to be reconciled.
        var camDir = Path.Combine(Server.DataDir, "recordings", id);
        var indexedFile = Directory.GetFiles(camDir, "*.mp4", SearchOption.AllDirectories).First(f => !f.Contains(".incoming"));
        File.Delete(indexedFile);
        var junk = Path.Combine(camDir, killedAt.UtcDateTime.ToString("yyyy-MM-dd"), killedAt.UtcDateTime.ToString("HH"), "20200101T000000.000Z.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(junk)!);
        await File.WriteAllTextAsync(junk, "not a video");

        await Server.LaunchAsync();
        var log = Server.ReadLog();
        // The unfinished segment is recovered; the junk file (and any segment the orphaned ffmpeg had only just opened) is removed.
        Assert.Matches(@"Reconcile: recovered [1-9]\d* unfinished segment\(s\), indexed 0 orphan file\(s\), removed [1-9]\d* invalid file\(s\), dropped 1 index entr", log);

        var recs = await Server.RecordingsAsync(id, killedAt.AddMinutes(-2), killedAt.AddMinutes(2));
        var beforeCrash = recs.Where(r => r.Start < killedAt).ToList();
        Assert.NotEmpty(beforeCrash);
        var lastBeforeCrash = beforeCrash.Max(r => r.End);
        Assert.True((killedAt - lastBeforeCrash).TotalSeconds <= 2.5, $"lost {(killedAt - lastBeforeCrash).TotalSeconds:0.0} s");

        // Index and disk agree: same set of files.
        var onDisk = Directory.GetFiles(camDir, "*.mp4", SearchOption.AllDirectories).Where(f => !f.Contains(".incoming")).Count();
        var all = await Server.RecordingsAsync(id, killedAt.AddHours(-1), killedAt.AddHours(1));
        Assert.Equal(onDisk, all.Count);
        Assert.False(File.Exists(junk));

        // The time the server was down is an event too, covering the crash.
        var down = (await Server.Client.GetFromJsonAsync<List<ArgusServer.Event>>("/api/events?type=server.down", ArgusServer.Json))!;
        var gap = Assert.Single(down);
        Assert.True(gap.Start <= killedAt.AddSeconds(1) && gap.End >= killedAt.AddSeconds(1), $"{gap.Start:O}..{gap.End:O} vs kill {killedAt:O}");

        // And recording went on after the restart.
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await Server.CameraAsync(id))["status"]!.GetValue<string>() == "online", TimeSpan.FromSeconds(20)));
    }
}
