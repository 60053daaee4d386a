using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>
/// A privacy-critical camera (the 640x360 traffic clip over RTSP) with a mask over x 0.1–0.5, y 0.1–0.6: its recordings
/// on disk, played back, exported and snapshotted, decoded, are black in the mask and show the road elsewhere.
/// </summary>
public sealed class PrivacyTests() : PrivacyServer(critical: true)
{
    [Fact]
    public async Task A_privacy_critical_camera_has_no_pixel_of_the_masked_area_on_disk_in_playback_export_or_snapshot()
    {
        var (id, listing) = await RecordAsync();
        // The indexed segments (.incoming holds the one being written; the Media tests decode those after a stop).
        var onDisk = Directory.GetFiles(Path.Combine(Server.DataDir, "recordings", id), "*.mp4", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.incoming/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(onDisk);
        foreach (var file in onDisk) AssertMasked(file, "on disk");
        await AssertMaskedOnTheWayOutAsync(id, listing);
    }
}

/// <summary>The same mask on a camera that is not privacy-critical: stored as the camera sent it, masked whenever it leaves.</summary>
public sealed class PrivacyOutboundTests() : PrivacyServer(critical: false)
{
    [Fact]
    public async Task A_masked_camera_is_stored_unmasked_but_played_back_exported_and_snapshotted_masked()
    {
        var (id, listing) = await RecordAsync();
        var stored = Directory.GetFiles(Path.Combine(Server.DataDir, "recordings", id), "*.mp4", SearchOption.AllDirectories)
            .First(f => !f.Contains("/.incoming/", StringComparison.Ordinal));
        Assert.Contains(CroppedGrey(stored, Inside), f => f.Max() > 100);
        await AssertMaskedOnTheWayOutAsync(id, listing);
    }
}

/// <summary>One server and one camera with a privacy mask set through the zones API before it records anything.</summary>
public abstract class PrivacyServer(bool critical)
    : ServerWithCameras(["--file", "cam=" + Repo.Asset("videos/traffic_cam_multilane.mp4")])
{
    // Inside the mask with a 4 px margin, and a band well right of it, as ffmpeg crop w:h:x:y on 640x360.
    protected const string Inside = "248:172:68:40";
    private const string Outside = "256:360:384:0";

    /// <summary>Adds the camera and waits for two recorded segments; returns its id and the recordings listing URL.</summary>
    protected async Task<(string Id, string Listing)> RecordAsync()
    {
        // Paused until the mask exists: a privacy-critical camera must not store a single unmasked frame.
        var id = await Server.AddCameraAsync(new { name = "masked", mainUrl = Bed.Url("cam"), paused = true, privacyCritical = critical,
            analysis = new { enabled = false } }); // the x264 encode is load enough for a shared 2-core test run
        var zone = await Server.Client.PostAsJsonAsync($"/api/cameras/{id}/zones",
            new { name = "Neighbour's window", kind = "privacy", points = new[] { new[] { 0.1, 0.1 }, [0.5, 0.1], [0.5, 0.6], [0.1, 0.6] } });
        Assert.Equal(HttpStatusCode.Created, zone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Client.PostAsync($"/api/cameras/{id}/resume", null)).StatusCode);
        var t0 = DateTimeOffset.UtcNow;
        var listing = $"/api/cameras/{id}/recordings?from={ArgusServer.Iso(t0.AddMinutes(-1))}&to={ArgusServer.Iso(t0.AddHours(1))}";
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.Client.GetFromJsonAsync<JsonArray>(listing))!.Count >= 2,
            TimeSpan.FromSeconds(60)), Server.ReadLog());
        return (id, listing);
    }

    /// <summary>Playback of the first segment, an export of 5 s of it and a snapshot, each decoded and judged.</summary>
    protected async Task AssertMaskedOnTheWayOutAsync(string id, string listing)
    {
        var dir = Directory.CreateTempSubdirectory("argus-privacy-").FullName;
        try
        {
            var first = (await Server.Client.GetFromJsonAsync<JsonArray>(listing))![0]!;
            AssertMasked(await DownloadAsync($"/api/cameras/{id}/recordings/{first["id"]!.GetValue<long>()}", dir, "segment.mp4"), "playback");
            var from = DateTimeOffset.Parse(first["start"]!.ToString(), CultureInfo.InvariantCulture);
            AssertMasked(await DownloadAsync($"/api/cameras/{id}/clip?from={ArgusServer.Iso(from.AddSeconds(1))}&to={ArgusServer.Iso(from.AddSeconds(6))}",
                dir, "export.mp4"), "export");
            AssertMasked(await DownloadAsync($"/api/cameras/{id}/snapshot", dir, "snapshot.jpg"), "snapshot");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private async Task<string> DownloadAsync(string url, string dir, string name)
    {
        using var r = await Server.Client.GetAsync(url);
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        var path = Path.Combine(dir, name);
        await File.WriteAllBytesAsync(path, await r.Content.ReadAsByteArrayAsync());
        return path;
    }

    /// <summary>Every decoded frame: nothing above grey 20 inside the mask, a picture (mean above 30) outside it.</summary>
    protected static void AssertMasked(string file, string what)
    {
        var inside = CroppedGrey(file, Inside);
        var outside = CroppedGrey(file, Outside);
        Assert.NotEmpty(inside);
        Assert.Equal(inside.Count, outside.Count);
        for (var i = 0; i < inside.Count; i++)
        {
            Assert.True(inside[i].Max() <= 20, $"{what} ({Path.GetFileName(file)}): frame {i} has grey {inside[i].Max()} inside the mask");
            Assert.True(outside[i].Average(b => b) > 30, $"{what} ({Path.GetFileName(file)}): frame {i} is dark outside the mask");
        }
    }

    protected static List<byte[]> CroppedGrey(string file, string crop)
    {
        var size = crop.Split(':').Take(2).Select(int.Parse).Aggregate(1, (a, b) => a * b);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-vf", $"crop={crop}", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        using var all = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(all);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file}: {err.Result}");
        return all.ToArray().Chunk(size).Where(c => c.Length == size).ToList();
    }
}
