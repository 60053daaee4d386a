using System.Net;
using System.Net.Http.Json;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>A small disk quota is enforced oldest-first without disturbing the recorder, and an evidence lock survives it.</summary>
public sealed class RetentionTests() : ServerWithCameras(new[] { "--synthetic", "cam:640x360@25:1500:smpte" }, "--quota", Quota.ToString(), "--min-free", "0", "--retention-interval", "1")
{
    private const long Quota = 4_000_000;

    [Fact]
    public async Task Quota_is_enforced_oldest_first_and_locked_evidence_survives()
    {
        var t0 = DateTimeOffset.UtcNow;
        var id = await Server.AddCameraAsync(new { name = "busy", mainUrl = Bed.Url("cam") });

        // Lock the first segment as evidence as soon as it exists.
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.RecordingsAsync(id, t0, t0.AddHours(1))).Count > 0, TimeSpan.FromSeconds(30)));
        var first = (await Server.RecordingsAsync(id, t0, t0.AddHours(1)))[0];
        var lockResponse = await Server.Client.PostAsJsonAsync($"/api/cameras/{id}/locks",
            new { from = first.Start.AddSeconds(1), to = first.End.AddSeconds(-1), reason = "incident 42" });
        Assert.Equal(HttpStatusCode.Created, lockResponse.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(45));
        var recs = await Server.RecordingsAsync(id, t0, DateTimeOffset.UtcNow.AddMinutes(1));
        var total = recs.Sum(r => r.Bytes);
        var largest = recs.Max(r => r.Bytes);
        Assert.True(total <= Quota + largest + first.Bytes, $"{total} bytes kept for a quota of {Quota}");
        Assert.Contains(recs, r => r.Start == first.Start);                   // the locked one
        Assert.True(recs.Count < 5, $"{recs.Count} segments kept: quota not enforced");
        var storage = await Server.Client.GetFromJsonAsync<Dictionary<string, long>>("/api/storage");
        Assert.Equal(total, storage!["recordingsBytes"]);

        // Oldest first: apart from the locked segment, what is kept is the newest, contiguous run.
        var unlocked = recs.Where(r => r.Start != first.Start).ToList();
        for (var i = 1; i < unlocked.Count; i++) Assert.InRange((unlocked[i].Start - unlocked[i - 1].End).TotalSeconds, -0.2, 1);

        // The recorder never noticed.
        var cam = await Server.CameraAsync(id);
        Assert.Equal("online", cam["status"]!.GetValue<string>());
        Assert.Equal(0, cam["restarts"]!.GetValue<int>());

        // Unlocked, the evidence goes too.
        var locks = await Server.Client.GetFromJsonAsync<List<Dictionary<string, object>>>($"/api/cameras/{id}/locks");
        var lockId = Assert.Single(locks!)["id"].ToString();
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/cameras/{id}/locks/{lockId}")).StatusCode);
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            !(await Server.RecordingsAsync(id, t0, DateTimeOffset.UtcNow)).Any(r => r.Start == first.Start), TimeSpan.FromSeconds(10)));
    }
}

/// <summary>Per-camera maximum age: old recordings go, young ones stay.</summary>
public sealed class MaxAgeTests() : ServerWithCameras(new[] { "--synthetic", "cam:320x240@25:300" }, "--retention-interval", "1", "--min-free", "0")
{
    [Fact]
    public async Task Recordings_older_than_the_camera_maximum_age_are_deleted()
    {
        var t0 = DateTimeOffset.UtcNow;
        var maxAge = TimeSpan.FromSeconds(15);
        var id = await Server.AddCameraAsync(new { name = "short memory", mainUrl = Bed.Url("cam"), retentionDays = maxAge.TotalDays });
        await Task.Delay(TimeSpan.FromSeconds(40));
        var now = DateTimeOffset.UtcNow;
        var recs = await Server.RecordingsAsync(id, t0.AddHours(-1), now);
        Assert.NotEmpty(recs);
        // Retention runs every second; allow one run of slack.
        Assert.All(recs, r => Assert.True(r.End >= now - maxAge - TimeSpan.FromSeconds(2), $"segment ending {r.End:O} is older than {maxAge}"));
        Assert.True(recs[0].Start > t0.AddSeconds(5), "the first segments were deleted");
    }
}
