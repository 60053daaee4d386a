using System.Net;
using System.Net.Http.Headers;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>Export of an arbitrary range as one MP4: right duration (within a GOP), playable, range requests served.</summary>
public sealed class ExportTests() : ServerWithCameras(new[] { "--synthetic", "cam:640x360@25:800" })
{
    [Fact]
    public async Task Export_returns_a_playable_mp4_of_the_requested_duration_with_range_support()
    {
        var id = await Server.AddCameraAsync(new { name = "cam", mainUrl = Bed.Url("cam") });
        var t0 = DateTimeOffset.UtcNow;
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.RecordingsAsync(id, t0.AddMinutes(-1), t0.AddHours(1))).Count >= 3,
            TimeSpan.FromSeconds(90)), Bed.Health() + "\n" + Server.ReadLog()); // 30 s of video, started on a loaded test machine
        var recs = await Server.RecordingsAsync(id, t0.AddMinutes(-1), t0.AddHours(1));

        // 15 s spanning a segment boundary, not aligned to keyframes.
        var from = recs[0].Start.AddSeconds(3.3);
        var to = from.AddSeconds(15);
        var url = $"/api/cameras/{id}/clip?from={ArgusServer.Iso(from)}&to={ArgusServer.Iso(to)}";
        using var response = await Server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", string.Join(",", response.Headers.AcceptRanges));
        var file = Path.Combine(Path.GetTempPath(), $"argus-export-{Guid.NewGuid():N}.mp4");
        try
        {
            await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            var duration = Ffprobe.Duration(file);
            Assert.NotNull(duration);
            // Cut at the keyframe at or before 'from' (GOP 2 s): between 15 and 17 s.
            Assert.InRange(duration!.Value, 14.9, 17.2);
            Assert.InRange(Ffprobe.DecodedFrames(file), (int)(14.9 * 25), (int)(17.2 * 25) + 2);

            var whole = new FileInfo(file).Length;
            using var partial = new HttpRequestMessage(HttpMethod.Get, url);
            partial.Headers.Range = new RangeHeaderValue(1000, 1999);
            using var ranged = await Server.Client.SendAsync(partial);
            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            var part = await ranged.Content.ReadAsByteArrayAsync();
            Assert.Equal(1000, part.Length);
            Assert.Equal((await File.ReadAllBytesAsync(file)).Skip(1000).Take(1000), part);
            Assert.Equal(whole, ranged.Content.Headers.ContentRange?.Length);
        }
        finally { File.Delete(file); }

        // Nothing recorded there: 404 with a reason; reversed range: 400.
        var empty = await Server.Client.GetAsync($"/api/cameras/{id}/clip?from={ArgusServer.Iso(t0.AddDays(-3))}&to={ArgusServer.Iso(t0.AddDays(-2))}");
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        Assert.Contains("no recordings", await empty.Content.ReadAsStringAsync());
        var reversed = await Server.Client.GetAsync($"/api/cameras/{id}/clip?from={ArgusServer.Iso(to)}&to={ArgusServer.Iso(from)}");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
    }
}
