using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>Live view and snapshots against a real RTSP camera and the real server.</summary>
public sealed class LiveTests() : ServerWithCameras(["--stats", "--synthetic", "cam1:1280x720@25"])
{
    [Fact]
    public async Task Three_viewers_share_one_camera_connection_and_snapshots_fall_back_to_the_recording_when_paused()
    {
        // Analysis off: its decoder would be a second connection to the camera, and this counts connections.
        var id = await Server.AddCameraAsync(new { name = "live", mainUrl = Bed.Url("cam1"), analysis = new { enabled = false } });
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.CameraAsync(id))["status"]!.GetValue<string>() == "online",
            TimeSpan.FromSeconds(20)), Server.ReadLog());

        var token = await Server.TokenAsync();
        var viewers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LiveClient.ConnectAsync(LiveUri(id), token)));
        var received = await Task.WhenAll(viewers.Select(v => LiveClient.ReceiveAsync(v, fragments: 50)));
        foreach (var (init, initSegment, fragments) in received)
        {
            Assert.Equal("init", init["type"]!.GetValue<string>());
            Assert.Matches("^avc1\\.[0-9a-f]{6}$", init["codec"]!.GetValue<string>());
            Assert.Equal(1280, init["width"]!.GetValue<int>());
            Assert.Equal(720, init["height"]!.GetValue<int>());
            Assert.Equal("ftyp", Type(initSegment));
            Assert.All(fragments, f => Assert.Equal("moof", Type(f)));
            // Init plus the fragments as received form a file that decodes from its first frame: the stream started
            // at a keyframe and no fragment was missing.
            var file = Path.Combine(Server.DataDir, $"live-{Guid.NewGuid():N}.mp4");
            await File.WriteAllBytesAsync(file, [.. initSegment, .. fragments.SelectMany(f => f)]);
            Assert.Equal(fragments.Sum(Samples), Ffprobe.DecodedFrames(file));
        }
        Assert.Equal(1, Bed.ClientConnections);

        var live = await Server.Client.GetAsync($"/api/cameras/{id}/snapshot");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("image/jpeg", live.Content.Headers.ContentType!.MediaType);
        Assert.Equal("live", live.Headers.GetValues("X-Snapshot-Source").Single());
        Assert.Equal(("mjpeg", 1280, 720), await JpegAsync(live));

        // Paused: the viewers are told the stream ended, and the snapshot comes from the recording.
        (await Server.Client.PostAsync($"/api/cameras/{id}/pause", null)).EnsureSuccessStatusCode();
        foreach (var v in viewers)
        {
            var closed = await LiveClient.DrainUntilClosedAsync(v);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closed);
        }
        HttpResponseMessage? fromRecording = null;
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
        {
            fromRecording = await Server.Client.GetAsync($"/api/cameras/{id}/snapshot");
            return fromRecording.StatusCode == HttpStatusCode.OK && fromRecording.Headers.GetValues("X-Snapshot-Source").Single() == "recording";
        }, TimeSpan.FromSeconds(20)), Server.ReadLog());
        Assert.Equal(("mjpeg", 1280, 720), await JpegAsync(fromRecording!));

        var refused = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        refused.Options.SetRequestHeader("Authorization", "Bearer " + await Server.TokenAsync());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => refused.ConnectAsync(LiveUri(id), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
        Assert.Equal(1, Bed.ClientConnections);
    }

    [Fact]
    public async Task The_hls_fallback_serves_whole_gop_segments_of_the_same_single_connection()
    {
        var id = await Server.AddCameraAsync(new { name = "hls", mainUrl = Bed.Url("cam1"), analysis = new { enabled = false } });
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.CameraAsync(id))["status"]!.GetValue<string>() == "online",
            TimeSpan.FromSeconds(20)), Server.ReadLog());
        var playlist = await Server.Client.GetStringAsync($"/api/cameras/{id}/hls/live.m3u8");
        Assert.StartsWith("#EXTM3U", playlist);
        var lines = playlist.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var map = lines.First(l => l.StartsWith("#EXT-X-MAP:URI=\"")).Split('"')[1];
        var segments = lines.Where(l => l.EndsWith(".m4s")).ToList();
        // Three target durations at least, the most a client starts back from the live edge (RFC 8216 6.3.3).
        var target = int.Parse(lines.First(l => l.StartsWith("#EXT-X-TARGETDURATION:"))[22..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(segments.Count >= 3 && target == 2, playlist);
        // The test bed's GOP is 2 s: each segment is one GOP.
        Assert.All(lines.Where(l => l.StartsWith("#EXTINF:")), l => Assert.InRange(double.Parse(l[8..].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture), 1.9, 2.1));
        var bytes = new List<byte>(await Server.Client.GetByteArrayAsync($"/api/cameras/{id}/hls/{map}"));
        foreach (var s in segments) bytes.AddRange(await Server.Client.GetByteArrayAsync($"/api/cameras/{id}/hls/{s}"));
        var file = Path.Combine(Server.DataDir, "hls.mp4");
        await File.WriteAllBytesAsync(file, [.. bytes]);
        Assert.Equal(segments.Count * 50, Ffprobe.DecodedFrames(file)); // 25 fps x 2 s, every frame decodable from the start
        // A real HLS client (ffmpeg's) follows the live playlist for 6 s and gets every frame.
        var followed = Path.Combine(Server.DataDir, "hls-client.mp4");
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-headers", $"Authorization: Bearer {await Server.TokenAsync()}\r\n",
                     "-i", $"{Server.BaseAddress}api/cameras/{id}/hls/live.m3u8", "-t", "6", "-c", "copy", "-y", followed })
            psi.ArgumentList.Add(a);
        using (var ffmpeg = System.Diagnostics.Process.Start(psi)!)
        {
            var err = await ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            Assert.True(ffmpeg.ExitCode == 0, err);
        }
        Assert.InRange(Ffprobe.DecodedFrames(followed), 6 * 25 - 5, 6 * 25 + 5);
        Assert.Equal(1, Bed.ClientConnections);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client.GetAsync($"/api/cameras/{id}/hls/999999.m4s")).StatusCode);
    }

    [Fact]
    public async Task Live_and_snapshot_need_a_token_and_live_needs_a_websocket()
    {
        // Analysis off: its decoder would be a second connection to the camera, and this counts connections.
        var id = await Server.AddCameraAsync(new { name = "live", mainUrl = Bed.Url("cam1"), analysis = new { enabled = false } });
        var anonymous = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        await Assert.ThrowsAnyAsync<WebSocketException>(() => anonymous.ConnectAsync(LiveUri(id), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.HttpStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.GetAsync($"/api/cameras/{id}/snapshot")).StatusCode);

        var plain = await Server.Client.GetAsync($"/api/cameras/{id}/live");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client.GetAsync("/api/cameras/0123456789ab/snapshot")).StatusCode);
    }

    private Uri LiveUri(string id) => new($"ws://127.0.0.1:{Server.HttpPort}/api/cameras/{id}/live");

    /// <summary>Frames in a fragment: trun's sample count (ffmpeg writes one traf with one trun).</summary>
    private static long Samples(byte[] fragment) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fragment.AsSpan(fragment.AsSpan().IndexOf("trun"u8) + 8));

    private static string Type(byte[] box) => System.Text.Encoding.ASCII.GetString(box, 4, 4);

    private async Task<(string, int, int)?> JpegAsync(HttpResponseMessage r)
    {
        var file = Path.Combine(Server.DataDir, $"snapshot-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, await r.Content.ReadAsByteArrayAsync());
        return Ffprobe.Video(file);
    }
}
