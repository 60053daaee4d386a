using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>
/// Objects end to end through the server: a real RTSP camera serving the traffic clip, the real detector (YOLOX-nano on
/// ONNX Runtime), a counting line, counts and line.cross events with the object's picture; a person clip for zone rules.
/// Accuracy against hand-counted ground truth is measured offline in Argus.Cluster.Tests; this checks the plumbing.
/// </summary>
public sealed class ObjectTests() : ServerWithCameras(
    ["--file", $"traffic={Repo.Asset("videos/traffic_cam_multilane.mp4")}", "--file", $"room={Repo.Asset("videos/intel_one-by-one-person-detection.mp4")}"],
    "--detector-model", Repo.Asset("models/yolox_nano.onnx"))
{
    // The hand-labelled counting line across both carriageways (tests/Argus.Vision.Tests/GroundTruth/traffic_cam_multilane.lines.json).
    private static readonly double[][] CountLine = [[0.95, 0.81], [0.04, 0.20]];

    [Fact]
    public async Task A_counting_line_counts_vehicles_per_class_and_direction_and_stores_crossings_with_pictures()
    {
        var cam = await Server.AddCameraAsync(new { name = "Road", mainUrl = Bed.Url("traffic") });
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var add = await Server.Client.PostAsJsonAsync($"/api/cameras/{cam}/lines", new { name = "count", points = CountLine, classes = new[] { "car", "bus", "truck", "motorcycle" } });
        Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        var line = (await add.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("count", line["name"]!.GetValue<string>());

        // The clip is 47.6 s of steady traffic, looped: crossings come within a few seconds of the first frames.
        List<JsonObject> crossings = [];
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
        {
            crossings = (await Server.Client.GetFromJsonAsync<List<JsonObject>>($"/api/events?camera={cam}&type=line.cross"))!;
            return crossings.Count >= 5;
        }, TimeSpan.FromSeconds(90)), "no line crossings within 90 s; log: " + Server.ReadLog());

        foreach (var c in crossings)
        {
            Assert.Equal("count", c["line"]!.GetValue<string>());
            Assert.Contains(c["class"]!.GetValue<string>(), new[] { "car", "bus", "truck", "motorcycle" });
            Assert.Contains(c["direction"]!.GetValue<string>(), new[] { "ab", "ba" });
            Assert.True(c["track"]!.GetValue<long>() > 0);
        }
        // Each track crosses the line once.
        Assert.Equal(crossings.Count, crossings.Select(c => c["track"]!.GetValue<long>()).Distinct().Count());

        var withPicture = crossings.First(c => c["snapshotUrl"] is not null);
        var jpeg = await Server.Client.GetByteArrayAsync(withPicture["snapshotUrl"]!.GetValue<string>());
        Assert.True(jpeg.Length > 500 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "the crossing's picture is a JPEG");

        // Counts: the stored minutes plus the minute still open agree with the crossings stored.
        var counts = (await Server.Client.GetFromJsonAsync<List<JsonObject>>(
            $"/api/counts?camera={cam}&line=count&from={ArgusServer.Iso(from)}&to={ArgusServer.Iso(DateTimeOffset.UtcNow.AddMinutes(1))}&interval=1m"))!;
        var counted = counts.Sum(c => c["count"]!.GetValue<int>());
        var crossed = (await Server.Client.GetFromJsonAsync<List<JsonObject>>($"/api/events?camera={cam}&type=line.cross"))!.Count;
        Assert.InRange(counted, crossings.Count, crossed + 2); // more may cross between the two queries
        Assert.All(counts, c => Assert.Contains(c["direction"]!.GetValue<string>(), new[] { "ab", "ba" }));
        var fifteen = (await Server.Client.GetFromJsonAsync<List<JsonObject>>(
            $"/api/counts?camera={cam}&line=count&from={ArgusServer.Iso(from)}&to={ArgusServer.Iso(DateTimeOffset.UtcNow.AddMinutes(1))}&interval=15m"))!;
        Assert.All(fifteen, c => Assert.Equal(0, c["start"]!.GetValue<DateTimeOffset>().Minute % 15));
        var csv = await Server.Client.GetStringAsync($"/api/counts?camera={cam}&from={ArgusServer.Iso(from)}&format=csv");
        Assert.StartsWith("start,end,line,class,direction,count", csv, StringComparison.Ordinal);

        // The camera says what its detector is doing, and it still records.
        var status = (await Server.CameraAsync(cam))["analysisStatus"]!["objects"]!;
        Assert.Equal("on", status["status"]!.GetValue<string>());
        Assert.True(status["detections"]!.GetValue<long>() > 0);
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.RecordingsAsync(cam, from, DateTimeOffset.UtcNow.AddMinutes(1))).Count > 0,
            TimeSpan.FromSeconds(30)), "the camera did not record while counting");
    }

    [Fact]
    public async Task Zone_rules_report_a_person_entering_staying_and_leaving()
    {
        var cam = await Server.AddCameraAsync(new { name = "Room", mainUrl = Bed.Url("room") });
        (await Server.Client.PostAsJsonAsync($"/api/cameras/{cam}/zones", new { name = "Room", points = new[] { new[] { 0.0, 0.0 }, [1.0, 0.0], [1.0, 1.0], [0.0, 1.0] } })).EnsureSuccessStatusCode();
        foreach (var rule in new object[]
        {
            new { name = "In", trigger = "enter", zone = "Room", classes = new[] { "person" } },
            new { name = "Stays", trigger = "dwell", zone = "Room", classes = new[] { "person" }, dwellSeconds = 5 },
        })
        {
            var r = await Server.Client.PostAsJsonAsync($"/api/cameras/{cam}/object-rules", rule);
            Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        }
        // The first visitor walks in about 5 s into the clip and stands for about 10 s.
        List<JsonObject> dwells = [];
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
        {
            dwells = (await Server.Client.GetFromJsonAsync<List<JsonObject>>($"/api/events?camera={cam}&type=object.dwell"))!;
            return dwells.Count > 0;
        }, TimeSpan.FromSeconds(90)), "no dwell event within 90 s; log: " + Server.ReadLog());
        var enters = (await Server.Client.GetFromJsonAsync<List<JsonObject>>($"/api/events?camera={cam}&type=object.enter&class=person"))!;
        Assert.NotEmpty(enters);
        var dwell = dwells[0];
        Assert.Equal("person", dwell["class"]!.GetValue<string>());
        Assert.Equal("Room", dwell["zone"]!.GetValue<string>());
        Assert.Equal("Stays", dwell["rule"]!.GetValue<string>());
        // The dwell is timed from the entry of the same track.
        var entry = enters.First(e => e["track"]!.GetValue<long>() == dwell["track"]!.GetValue<long>());
        Assert.Equal(entry["start"]!.GetValue<DateTimeOffset>(), dwell["start"]!.GetValue<DateTimeOffset>());
        Assert.NotNull(dwell["snapshotUrl"]);
    }

    [Fact]
    public async Task Object_settings_are_tuned_through_analysis_objects_and_validated()
    {
        var cam = await Server.AddCameraAsync(new { name = "Tuned", mainUrl = Bed.Url("traffic"), analysis = new { enabled = false } });
        var put = await Server.Client.PutAsJsonAsync($"/api/cameras/{cam}",
            new { analysis = new { objects = new { everyFrame = true, tiles = 1, minScore = 0.4, classes = new[] { "car" } } } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var objects = (await Server.CameraAsync(cam))["analysis"]!["objects"]!;
        Assert.True(objects["everyFrame"]!.GetValue<bool>());
        Assert.Equal(1, objects["tiles"]!.GetValue<int>());
        Assert.Equal(0.4, objects["minScore"]!.GetValue<double>());
        Assert.Equal(["car"], objects["classes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(5, objects["fps"]!.GetValue<double>()); // not given: unchanged

        // Motion settings alone leave the object settings as they were.
        (await Server.Client.PutAsJsonAsync($"/api/cameras/{cam}", new { analysis = new { sensitivity = 70 } })).EnsureSuccessStatusCode();
        Assert.True((await Server.CameraAsync(cam))["analysis"]!["objects"]!["everyFrame"]!.GetValue<bool>());

        async Task<string> Refused(object body)
        {
            var r = await Server.Client.PutAsJsonAsync($"/api/cameras/{cam}", body);
            var text = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{r.StatusCode}: {text}");
            return text;
        }
        Assert.Contains("analysis.objects.tiles", await Refused(new { analysis = new { objects = new { tiles = 3 } } }));
        Assert.Contains("analysis.objects.fps", await Refused(new { analysis = new { objects = new { fps = 50 } } }));
        Assert.Contains("analysis.objects.minScore", await Refused(new { analysis = new { objects = new { minScore = 2 } } }));
        Assert.Contains("spaceship", await Refused(new { analysis = new { objects = new { classes = new[] { "spaceship" } } } }));
    }

    [Fact]
    public async Task Bad_lines_rules_and_count_queries_get_clear_errors()
    {
        var cam = await Server.AddCameraAsync(new { name = "Bad", mainUrl = Bed.Url("traffic"), analysis = new { enabled = false } });
        async Task<string> Refused(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.BadRequest)
        {
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == expected, $"{r.StatusCode}: {body}");
            return body;
        }
        var lines = $"/api/cameras/{cam}/lines";
        Assert.Contains("[[x1, y1], [x2, y2]]", await Refused(await Server.Client.PostAsJsonAsync(lines, new { name = "a", points = new[] { new[] { 0.1, 0.1 } } })));
        Assert.Contains("0 <= x, y <= 1", await Refused(await Server.Client.PostAsJsonAsync(lines, new { name = "a", points = new[] { new[] { 0.1, 0.1 }, [1.5, 0.1] } })));
        Assert.Contains("too short", await Refused(await Server.Client.PostAsJsonAsync(lines, new { name = "a", points = new[] { new[] { 0.1, 0.1 }, [0.1, 0.101] } })));
        Assert.Contains("unknown object class 'spaceship'", await Refused(await Server.Client.PostAsJsonAsync(lines, new { name = "a", points = CountLine, classes = new[] { "spaceship" } })));
        Assert.Contains("no line named 'nowhere'", await Refused(await Server.Client.PostAsJsonAsync(lines, new { name = "a", points = CountLine, speed = new { toLine = "nowhere", meters = 20 } })));
        Assert.Contains("control characters", await Refused(await Server.Client.PostAsJsonAsync(lines, new { name = "a\nb", points = CountLine })));
        Assert.Contains("name is required", await Refused(await Server.Client.PostAsJsonAsync(lines, new { points = CountLine })));

        var rules = $"/api/cameras/{cam}/object-rules";
        Assert.Contains("no zone named 'Yard'", await Refused(await Server.Client.PostAsJsonAsync(rules, new { name = "r", trigger = "enter", zone = "Yard" })));
        Assert.Contains("trigger must be", await Refused(await Server.Client.PostAsJsonAsync(rules, new { name = "r", trigger = "teleport", zone = "Yard" })));
        (await Server.Client.PostAsJsonAsync($"/api/cameras/{cam}/zones", new { name = "Yard", points = new[] { new[] { 0.0, 0.0 }, [1.0, 0.0], [1.0, 1.0] } })).EnsureSuccessStatusCode();
        Assert.Contains("dwellSeconds", await Refused(await Server.Client.PostAsJsonAsync(rules, new { name = "r", trigger = "dwell", zone = "Yard" })));
        Assert.Contains("takes a line", await Refused(await Server.Client.PostAsJsonAsync(rules, new { name = "r", trigger = "cross", zone = "Yard" })));

        Assert.Contains("camera is required", await Refused(await Server.Client.GetAsync("/api/counts")));
        Assert.Contains("interval", await Refused(await Server.Client.GetAsync($"/api/counts?camera={cam}&interval=7m")));
        await Refused(await Server.Client.GetAsync($"/api/counts?camera={cam}&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"));
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client.PostAsJsonAsync("/api/cameras/..%2F..%2Fetc/lines", new { name = "a", points = CountLine })).StatusCode);

        // Without a token nothing answers; a viewer without a grant on the camera gets 403 on its counts.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.GetAsync($"/api/counts?camera={cam}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.GetAsync(lines)).StatusCode);
        var viewer = await Server.Client.PostAsJsonAsync("/api/users", new { name = "counter", password = "counter-password-1", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, viewer.StatusCode);
        var token = (await (await Server.Anonymous.PostAsJsonAsync("/api/auth/token", new { user = "counter", password = "counter-password-1" })).Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        using var asViewer = new HttpClient { BaseAddress = Server.BaseAddress };
        asViewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.GetAsync($"/api/counts?camera={cam}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.PostAsJsonAsync(lines, new { name = "a", points = CountLine })).StatusCode);

        var openapi = await Server.Client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/cameras/{id}/lines", openapi, StringComparison.Ordinal);
        Assert.Contains("/api/counts", openapi, StringComparison.Ordinal);
        Assert.Contains("/api/cameras/{id}/object-rules", openapi, StringComparison.Ordinal);
    }
}

/// <summary>A server whose model is missing, or not a model: objects cannot be configured, and the camera records on.</summary>
public sealed class ObjectModelErrorTests : IAsyncLifetime
{
    private TestBed _bed = null!;
    private string _dir = null!;

    public Task InitializeAsync()
    {
        _bed = TestBed.Start("--file", $"traffic={Repo.Asset("videos/traffic_cam_multilane.mp4")}");
        _dir = Path.Combine(Path.GetTempPath(), "argus-model-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _bed.Dispose();
        Directory.Delete(_dir, true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("corrupt", "ONNX")]
    [InlineData("wrong-shape", "output")]
    public async Task A_bad_model_is_named_when_objects_are_configured_and_recording_goes_on(string kind, string expected)
    {
        var model = Path.Combine(_dir, kind + ".onnx");
        switch (kind)
        {
            case "corrupt": await File.WriteAllBytesAsync(model, (await File.ReadAllBytesAsync(Repo.Asset("models/yolox_nano.onnx")))[..100_000]); break;
            case "wrong-shape": File.Copy(Repo.Asset("models/en_number_mobile_v2.0_rec_infer.onnx"), model); break;
        }
        await using var server = await ArgusServer.StartAsync("--detector-model", model);
        var cam = await server.AddCameraAsync(new { name = "Road", mainUrl = _bed.Url("traffic") });
        var r = await server.Client.PostAsJsonAsync($"/api/cameras/{cam}/lines", new { name = "count", points = new[] { new[] { 0.0, 0.5 }, [1.0, 0.5] } });
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Contains("object detection is unavailable", body, StringComparison.Ordinal);
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
        var detector = (await server.Client.GetFromJsonAsync<JsonObject>("/api/detector"))!;
        Assert.Equal("unavailable", detector["status"]!.GetValue<string>());

        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await server.RecordingsAsync(cam, since, DateTimeOffset.UtcNow.AddMinutes(1))).Count > 0,
            TimeSpan.FromSeconds(40)), "the camera did not record");
    }
}
