using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Argus.Integration.Tests;

/// <summary>
/// Motion analysis end to end on a real RTSP camera whose ground truth is known: the test bed's intruder camera walks
/// a block across a still scene for 3 s every 10 s and says when each crossing began.
/// </summary>
public sealed class AnalysisTests() : ServerWithCameras(["--intruder", "shop:640x360@10:500:every10on3", "--synthetic", "taped:320x240@10:200:black"])
{
    // The block crosses the middle third of the frame (rows 1/3 to 2/3).
    private static readonly double[][] ShopFloor = [[0, 0.3], [1, 0.3], [1, 0.7], [0, 0.7]];
    private static readonly double[][] Ceiling = [[0, 0], [1, 0], [1, 0.2], [0, 0.2]];

    public sealed record EventDto(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail,
        List<string> Zones, double? PeakArea, string? Rule, string? SnapshotUrl, string? ClipUrl);
    public sealed record Pushed(string State, EventDto Event);

    private async Task<List<EventDto>> EventsAsync(string query) =>
        (await Server.Client.GetFromJsonAsync<List<EventDto>>($"/api/events?{query}", ArgusServer.Json))!;

    [Fact]
    public async Task Motion_in_an_armed_zone_raises_motion_events_and_an_alarm_with_snapshot_clip_and_live_push()
    {
        var shop = await Server.AddCameraAsync(new { name = "Shop", mainUrl = Bed.Url("shop") });
        var watchedFrom = DateTimeOffset.UtcNow.AddSeconds(5); // connection and first frames
        (await Server.Client.PostAsJsonAsync($"/api/cameras/{shop}/zones", new { name = "Shop floor", points = ShopFloor })).EnsureSuccessStatusCode();
        (await Server.Client.PostAsJsonAsync($"/api/cameras/{shop}/zones", new { name = "Ceiling", points = Ceiling })).EnsureSuccessStatusCode();
        var rule = await Server.Client.PostAsJsonAsync("/api/rules", new { name = "Intruder", camera = shop, zones = new[] { "Shop floor" }, minSeconds = 1 });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);

        // Two webhooks: a working receiver, and one whose port nothing listens on; the dead one must not hold up the other.
        using var listener = new HttpListener();
        var hookPort = Ports.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{hookPort}/");
        listener.Start();
        var hooks = new ConcurrentQueue<(JsonObject Body, bool SignatureValid)>();
        const string secret = "shop-webhook-secret-0001";
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext c;
                try { c = await listener.GetContextAsync(); } catch (Exception) { return; }
                using var body = new MemoryStream();
                await c.Request.InputStream.CopyToAsync(body);
                var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body.ToArray()));
                hooks.Enqueue((JsonNode.Parse(body.ToArray())!.AsObject(), c.Request.Headers["X-Argus-Signature"] == expected));
                c.Response.StatusCode = 204;
                c.Response.Close();
            }
        });
        var deadHook = await Server.Client.PostAsJsonAsync("/api/notifications/webhooks", new { url = $"http://127.0.0.1:{Ports.Free()}/gone", events = new[] { "alarm" }, secret });
        Assert.Equal(HttpStatusCode.Created, deadHook.StatusCode);
        var deadId = (await deadHook.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsJsonAsync("/api/notifications/webhooks",
            new { url = $"http://127.0.0.1:{hookPort}/hook", events = new[] { "alarm" }, secret })).StatusCode);

        var pushed = new ConcurrentQueue<Pushed>();
        var token = await Server.TokenAsync();
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{Server.HttpPort}/hubs/events", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        hub.On<Pushed>("event", pushed.Enqueue);
        await hub.StartAsync();

        // Disarmed: motion events, no alarm.
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await EventsAsync($"camera={shop}&type=motion")).Any(e => e.End is not null),
            TimeSpan.FromSeconds(40)), "no motion event while disarmed\n" + Server.ReadLog());
        Assert.Empty(await EventsAsync($"camera={shop}&type=alarm"));
        var status = (await Server.CameraAsync(shop))["analysisStatus"]!;
        Assert.Equal("receiving", status["status"]!.GetValue<string>());
        Assert.True(status["frames"]!.GetValue<long>() > 0);

        var armedAt = DateTimeOffset.UtcNow;
        var arm = await Server.Client.PostAsJsonAsync("/api/arming", new { mode = "armed" });
        Assert.Equal(HttpStatusCode.OK, arm.StatusCode);
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await EventsAsync($"camera={shop}&type=alarm")).Any(e => e.End is not null),
            TimeSpan.FromSeconds(40)), "no alarm while armed\n" + Server.ReadLog());

        var alarm = (await EventsAsync($"camera={shop}&type=alarm")).First();
        Assert.Equal("Intruder", alarm.Rule);
        Assert.Equal(["Shop floor"], alarm.Zones);
        // The alarm starts at a crossing's onset (as seen through encoder, RTSP, decoder and a 5 fps sampling) and ends after it.
        var onset = Bed.Onsets("shop").Where(o => o > armedAt.AddSeconds(-1)).OrderBy(o => Math.Abs((o - alarm.Start).TotalMilliseconds)).First();
        Assert.InRange((alarm.Start - onset).TotalMilliseconds, -100, 1000);
        Assert.True(alarm.End > alarm.Start.AddSeconds(2));

        // Every crossing so far is a motion event that touched the shop floor, and none touched the ceiling.
        var motions = await EventsAsync($"camera={shop}&type=motion");
        var onsets = Bed.Onsets("shop").Where(o => o > watchedFrom && o < DateTimeOffset.UtcNow.AddSeconds(-6)).ToList();
        Assert.NotEmpty(onsets);
        foreach (var o in onsets)
            Assert.Contains(motions, m => m.Start <= o.AddSeconds(1) && (m.End ?? DateTimeOffset.MaxValue) >= o);
        // 3 s crossings 7 s apart with a 5 s quiet period: at most one event each (a loaded machine may merge two), none extra.
        Assert.InRange(motions.Count(m => m.Start > watchedFrom.AddSeconds(1)), 1, onsets.Count + 1);
        Assert.All(motions, m => Assert.Contains("Shop floor", m.Zones));
        Assert.Empty(await EventsAsync($"camera={shop}&zone=Ceiling"));
        Assert.NotEmpty(await EventsAsync($"camera={shop}&zone={Uri.EscapeDataString("Shop floor")}"));

        // Pushed live: the alarm's new and end states.
        Assert.Contains(pushed, p => p.Event.Id == alarm.Id && p.State == "new");
        Assert.True(await ArgusServer.WaitUntilAsync(() => Task.FromResult(pushed.Any(p => p.Event.Id == alarm.Id && p.State == "end")), TimeSpan.FromSeconds(5)));

        // The webhook got the alarm, signed, as it started and as it ended; the dead target is logged as retrying or failed.
        Assert.True(await ArgusServer.WaitUntilAsync(() => Task.FromResult(hooks.Any(h => h.Body["id"]!.GetValue<long>() == alarm.Id
            && h.Body["state"]!.GetValue<string>() == "end")), TimeSpan.FromSeconds(10)), "no webhook for the alarm's end");
        var first = hooks.First(h => h.Body["id"]!.GetValue<long>() == alarm.Id);
        Assert.Equal("new", first.Body["state"]!.GetValue<string>());
        Assert.Equal("alarm", first.Body["type"]!.GetValue<string>());
        Assert.Equal("Intruder", first.Body["rule"]!.GetValue<string>());
        Assert.All(hooks, h => Assert.True(h.SignatureValid));
        Assert.DoesNotContain(hooks, h => h.Body["type"]!.GetValue<string>() != "alarm"); // routed by event type
        var dead = (await Server.Client.GetFromJsonAsync<JsonArray>($"/api/notifications/deliveries?target={deadId}"))!;
        Assert.NotEmpty(dead);
        Assert.All(dead, d => Assert.Contains(d!["status"]!.GetValue<string>(), new[] { "pending", "retrying", "failed" }));
        Assert.Contains(dead, d => d!["error"] is not null);

        // The snapshot is a JPEG; the clip is a playable MP4 covering the event with its pre/post roll (default 5 s).
        Assert.NotNull(alarm.SnapshotUrl);
        var jpeg = await Server.Client.GetByteArrayAsync(alarm.SnapshotUrl);
        Assert.True(jpeg.Length > 1000 && jpeg[0] == 0xFF && jpeg[1] == 0xD8);
        HttpResponseMessage? clip = null;
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
        {
            clip = await Server.Client.GetAsync(alarm.ClipUrl);
            return clip.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(2)), "no clip");
        var file = Path.Combine(Server.DataDir, "alarm.mp4");
        await File.WriteAllBytesAsync(file, await clip!.Content.ReadAsByteArrayAsync());
        Assert.InRange(Ffprobe.Duration(file) ?? 0, (alarm.End!.Value - alarm.Start).TotalSeconds + 4, 60);
    }

    [Fact]
    public async Task A_covered_camera_raises_a_tamper_event()
    {
        // A lens taped over: the picture is uniform.
        var taped = await Server.AddCameraAsync(new { name = "Back door", mainUrl = Bed.Url("taped") });
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await EventsAsync($"camera={taped}&type=camera.tamper")).Count > 0,
            TimeSpan.FromSeconds(60)), "no tamper event\n" + Server.ReadLog());
        var tampers = await EventsAsync($"camera={taped}&type=camera.tamper");
        // Every tamper event says covered (a starved decoder in a loaded test run may end one and start another).
        Assert.All(tampers, t => Assert.Equal("covered", t.Detail));
        Assert.True(tampers.Count <= 2, $"{tampers.Count} tamper events for one covered camera\n" + Server.ReadLog());
        Assert.Empty(await EventsAsync($"camera={taped}&type=motion"));
    }

    [Fact]
    public async Task Zones_schedules_arming_and_rules_refuse_bad_input_with_a_clear_reason()
    {
        var shop = await Server.AddCameraAsync(new { name = "Shop", mainUrl = Bed.Url("shop"), paused = true });
        async Task<string> Refused(HttpResponseMessage r, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            Assert.Equal(status, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        }
        var zones = $"/api/cameras/{shop}/zones";
        Assert.Contains("cross", await Refused(await Server.Client.PostAsJsonAsync(zones, new { name = "Bowtie", points = new[] { new[] { 0.0, 0 }, [1, 1], [1, 0], [0, 0.5] } })));
        Assert.Contains("0 <= x", await Refused(await Server.Client.PostAsJsonAsync(zones, new { name = "Big", points = new[] { new[] { 0.0, 0 }, [2, 0], [1, 1] } })));
        Assert.Contains("kind", await Refused(await Server.Client.PostAsJsonAsync(zones, new { name = "X", kind = "fence", points = ShopFloor })));
        Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsJsonAsync(zones, new { name = "Shop floor", points = ShopFloor })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsJsonAsync(zones, new { name = "Bedroom window", kind = "privacy", points = Ceiling })).StatusCode);
        Assert.Contains("already", await Refused(await Server.Client.PostAsJsonAsync(zones, new { name = "shop floor", points = Ceiling })));
        var listed = (await Server.Client.GetFromJsonAsync<JsonArray>(zones))!;
        Assert.Equal(["zone", "privacy"], listed.Select(z => z!["kind"]!.GetValue<string>()));

        Assert.Contains("does not parse", await Refused(await Server.Client.PostAsJsonAsync("/api/schedules", new { name = "Closed", windows = "closed at night" })));
        Assert.Contains("time zone", await Refused(await Server.Client.PostAsJsonAsync("/api/schedules", new { name = "Closed", timeZone = "Mars/Base", windows = "mon 22:00-07:00" })));
        var schedule = await Server.Client.PostAsJsonAsync("/api/schedules", new { name = "Closed", timeZone = "Europe/Paris", windows = "mon-sat 22:00-07:00; sun all day" });
        Assert.Equal(HttpStatusCode.Created, schedule.StatusCode);
        var scheduleId = (await schedule.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        Assert.Contains("mode", await Refused(await Server.Client.PutAsJsonAsync($"/api/cameras/{shop}/arming", new { mode = "maybe" })));
        Assert.Contains("no schedule", await Refused(await Server.Client.PutAsJsonAsync($"/api/cameras/{shop}/arming", new { mode = "schedule", schedule = "nope" })));
        var arming = await Server.Client.PutAsJsonAsync($"/api/cameras/{shop}/arming", new { mode = "schedule", schedule = scheduleId });
        Assert.Equal(HttpStatusCode.OK, arming.StatusCode);
        Assert.Equal("schedule", (await arming.Content.ReadFromJsonAsync<JsonObject>())!["mode"]!.GetValue<string>());
        Assert.Contains("armed by this schedule", await Refused(await Server.Client.DeleteAsync($"/api/schedules/{scheduleId}"), HttpStatusCode.Conflict));

        Assert.Contains("no zone named 'Garage'", await Refused(await Server.Client.PostAsJsonAsync("/api/rules", new { name = "R", camera = shop, zones = new[] { "Garage" } })));
        Assert.Contains("camera", await Refused(await Server.Client.PostAsJsonAsync("/api/rules", new { name = "R", camera = "nope", zones = Array.Empty<string>() })));
        Assert.Contains("minSeconds", await Refused(await Server.Client.PostAsJsonAsync("/api/rules", new { name = "R", camera = shop, minSeconds = -1 })));

        // Analysis settings are validated too; the defaults are on at 5 fps.
        var camera = await Server.CameraAsync(shop);
        Assert.True(camera["analysis"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(5, camera["analysis"]!["fps"]!.GetValue<double>());
        Assert.Contains("analysis.fps", await Refused(await Server.Client.PutAsJsonAsync($"/api/cameras/{shop}", new { analysis = new { fps = 100 } })));
        var tuned = await Server.Client.PutAsJsonAsync($"/api/cameras/{shop}", new { analysis = new { sensitivity = 80, enabled = false } });
        Assert.Equal(HttpStatusCode.OK, tuned.StatusCode);
        var tunedCamera = (await tuned.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("off", tunedCamera["analysisStatus"]!["status"]!.GetValue<string>());
        var analysis = tunedCamera["analysis"]!;
        Assert.Equal(80, analysis["sensitivity"]!.GetValue<int>());
        Assert.False(analysis["enabled"]!.GetValue<bool>());
        Assert.Equal(5, analysis["fps"]!.GetValue<double>());

        // Removing the camera removes its zones and rules.
        Assert.Equal(HttpStatusCode.Created, (await Server.Client.PostAsJsonAsync("/api/rules", new { name = "R", camera = shop, zones = new[] { "Shop floor" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/cameras/{shop}")).StatusCode);
        Assert.Empty((await Server.Client.GetFromJsonAsync<JsonArray>($"/api/rules?camera={shop}"))!);
    }
}
