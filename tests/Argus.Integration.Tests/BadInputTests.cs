using System.Net;
using System.Net.Http.Json;
using System.Text;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>Broken cameras and malformed requests get clear errors, and never disturb a healthy camera.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string CameraPassword = "cam-secret-9f2";
    private TestBed _good = null!, _auth = null!, _bad = null!;
    private int _garbagePort;
    private ArgusServer _server = null!;

    public async Task InitializeAsync()
    {
        _good = TestBed.Start("--synthetic", "cam:320x240@25:300");
        _auth = TestBed.Start("--user", "operator", "--password", CameraPassword, "--synthetic", "cam:320x240@25:300");
        _garbagePort = Ports.Free();
        _bad = TestBed.StartBadServers(Ports.Free(), _garbagePort);
        _server = await ArgusServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _good.Dispose();
        _auth.Dispose();
        _bad.Dispose();
    }

    [Fact]
    public async Task Broken_sources_show_a_clear_status_and_the_healthy_camera_is_unaffected()
    {
        var good = await _server.AddCameraAsync(new { name = "healthy", mainUrl = _good.Url("cam") });
        var authed = await _server.AddCameraAsync(new { name = "with credentials", mainUrl = _auth.Url("cam"), username = "operator", password = CameraPassword });
        var broken = new Dictionary<string, (string Url, string[] Expect)>
        {
            ["unreachable"] = ($"rtsp://127.0.0.1:{Ports.Free()}/nothing", ["refused"]),
            ["wrong password"] = ($"rtsp://operator:wrong@127.0.0.1:{_auth.Port}/cam", ["401", "Unauthorized"]),
            ["html page"] = ($"http://127.0.0.1:{_bad.Port}/html", ["Invalid data", "invalid", "no video"]),
            ["garbage"] = ($"rtsp://127.0.0.1:{_garbagePort}/cam", ["Invalid", "invalid", "no video", "timed out"]),
        };
        var ids = new Dictionary<string, string>();
        foreach (var (name, (url, _)) in broken) ids[name] = await _server.AddCameraAsync(new { name, mainUrl = url });

        Assert.True(await ArgusServer.WaitUntilAsync(async () => await Status(good) == "online" && await Status(authed) == "online",
            TimeSpan.FromSeconds(20)), _server.ReadLog());
        await Task.Delay(TimeSpan.FromSeconds(15));

        foreach (var (name, (_, expect)) in broken)
        {
            var cam = await _server.CameraAsync(ids[name]);
            Assert.Equal("offline", cam["status"]!.GetValue<string>());
            var error = cam["lastError"]?.GetValue<string>() ?? "";
            Assert.True(expect.Any(error.Contains), $"{name}: lastError '{error}'");
            Assert.True(cam["restarts"]!.GetValue<int>() >= 1, $"{name} is retried");
            var offline = (await _server.EventsAsync(ids[name])).Where(e => e.Type == "camera.offline").ToList();
            Assert.Single(offline);
        }

        // The healthy cameras never restarted and kept recording throughout.
        foreach (var id in new[] { good, authed })
        {
            var cam = await _server.CameraAsync(id);
            Assert.Equal("online", cam["status"]!.GetValue<string>());
            Assert.Equal(0, cam["restarts"]!.GetValue<int>());
            Assert.NotEmpty(await _server.RecordingsAsync(id, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow));
        }

        // Credentials are never returned nor logged.
        var json = await _server.Client.GetStringAsync("/api/cameras");
        Assert.DoesNotContain(CameraPassword, json);
        Assert.DoesNotContain("wrong@", json);
        Assert.Contains("\"hasCredentials\":true", json);
        Assert.DoesNotContain(CameraPassword, _server.ReadLog());
        Assert.DoesNotContain(":wrong@", _server.ReadLog());
        var db = await File.ReadAllBytesAsync(Path.Combine(_server.DataDir, "argus.db"));
        Assert.DoesNotContain(CameraPassword, Encoding.UTF8.GetString(db));
    }

    [Fact]
    public async Task Malformed_requests_get_clear_400_or_404()
    {
        var id = await _server.AddCameraAsync(new { name = "../../etc/passwd", mainUrl = _good.Url("cam") });
        // The name is only a label: nothing is written outside the recordings folder under the camera's generated id.
        Assert.True(Directory.Exists(Path.Combine(_server.DataDir, "recordings")) || true);

        async Task Expect(HttpStatusCode code, HttpResponseMessage r, string? contains = null)
        {
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(code == r.StatusCode, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri}: {(int)r.StatusCode} {body}");
            if (contains is not null) Assert.Contains(contains, body);
        }

        var c = _server.Client;
        await Expect(HttpStatusCode.BadRequest, await c.GetAsync($"/api/cameras/{id}/recordings?from=yesterday&to=now"), "from");
        await Expect(HttpStatusCode.BadRequest, await c.GetAsync($"/api/cameras/{id}/recordings?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), "after");
        await Expect(HttpStatusCode.BadRequest, await c.GetAsync($"/api/cameras/{id}/clip"), "from");
        await Expect(HttpStatusCode.BadRequest, await c.GetAsync($"/api/cameras/{id}/clip?from=2026-01-01T00:00:00Z&to=2026-01-09T00:00:00Z"), "at most");
        await Expect(HttpStatusCode.BadRequest, await c.GetAsync("/api/events?from=notatime"));
        await Expect(HttpStatusCode.BadRequest, await c.GetAsync("/api/events?camera=../../x"));
        await Expect(HttpStatusCode.NotFound, await c.GetAsync("/api/cameras/..%2F..%2Fetc%2Fpasswd/recordings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"));
        await Expect(HttpStatusCode.NotFound, await c.GetAsync("/api/cameras/%2e%2e/clip?from=2026-01-01T00:00:00Z&to=2026-01-01T00:01:00Z"));
        await Expect(HttpStatusCode.NotFound, await c.GetAsync("/api/cameras/000000000000"));
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync("/api/cameras", new { name = "x", mainUrl = "ftp://host/a" }), "rtsp");
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync("/api/cameras", new { name = "x", mainUrl = "concat:/etc/passwd|/etc/shadow" }));
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync("/api/cameras", new { name = "", mainUrl = _good.Url("cam") }), "name");
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync("/api/cameras", new { name = "x" }), "mainUrl");
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync("/api/cameras", new { name = "x", mainUrl = _good.Url("cam"), transport = "sctp" }), "transport");
        await Expect(HttpStatusCode.BadRequest, await c.PostAsync("/api/cameras", new StringContent("{not json", Encoding.UTF8, "application/json")));
        await Expect(HttpStatusCode.BadRequest, await c.PutAsJsonAsync($"/api/cameras/{id}", new { retentionDays = -1 }), "retentionDays");
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync($"/api/cameras/{id}/locks", new { from = "2026-01-01T00:00:00Z", to = "2026-01-01T01:00:00Z" }), "reason");
        await Expect(HttpStatusCode.BadRequest, await c.PostAsJsonAsync("/api/auth/token", new { user = "admin" }));
        await Expect(HttpStatusCode.Unauthorized, await _server.Anonymous.PostAsJsonAsync("/api/auth/token", new { user = "admin", password = "wrong-password" }));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(_server.DataDir)!, "passwd"));
    }

    [Fact]
    public async Task Every_endpoint_without_a_valid_token_answers_401()
    {
        var id = await _server.AddCameraAsync(new { name = "x", mainUrl = _good.Url("cam") });
        var range = "from=2026-01-01T00:00:00Z&to=2026-01-01T00:01:00Z";
        var endpoints = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "/api/cameras"), (HttpMethod.Post, "/api/cameras"), (HttpMethod.Get, $"/api/cameras/{id}"),
            (HttpMethod.Put, $"/api/cameras/{id}"), (HttpMethod.Delete, $"/api/cameras/{id}"),
            (HttpMethod.Post, $"/api/cameras/{id}/pause"), (HttpMethod.Post, $"/api/cameras/{id}/resume"),
            (HttpMethod.Get, $"/api/cameras/{id}/recordings?{range}"), (HttpMethod.Get, $"/api/cameras/{id}/clip?{range}"),
            (HttpMethod.Get, $"/api/cameras/{id}/locks"), (HttpMethod.Post, $"/api/cameras/{id}/locks"), (HttpMethod.Delete, $"/api/cameras/{id}/locks/1"),
            (HttpMethod.Get, $"/api/cameras/{id}/live"), (HttpMethod.Get, $"/api/cameras/{id}/snapshot"),
            (HttpMethod.Get, "/api/events"), (HttpMethod.Get, "/api/storage"), (HttpMethod.Get, "/metrics"),
            (HttpMethod.Get, "/api/nonexistent"), (HttpMethod.Get, "/recordings/x.mp4"), (HttpMethod.Get, "/admin/users"),
        };
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        foreach (var (method, path) in endpoints)
        {
            foreach (var token in new string?[] { null, "not-a-real-token-0123456789", "" })
            {
                using var request = new HttpRequestMessage(method, path);
                if (method != HttpMethod.Get && method != HttpMethod.Delete) request.Content = JsonContent.Create(new { });
                if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                using var r = await noRedirects.SendAsync(request);
                // Console pages send a browser without a session to the login page; everything else answers 401.
                var toLogin = token is null && !path.StartsWith("/api") && !path.StartsWith("/metrics")
                    && r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.AbsolutePath == "/login";
                Assert.True(r.StatusCode == HttpStatusCode.Unauthorized || toLogin, $"{method} {path} with token '{token}': {(int)r.StatusCode}");
            }
        }
        // The two public ones.
        Assert.Equal(HttpStatusCode.OK, (await _server.Anonymous.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        // The camera still exists: nothing happened without a token.
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync($"/api/cameras/{id}")).StatusCode);
    }

    private async Task<string> Status(string id) => (await _server.CameraAsync(id))["status"]!.GetValue<string>();
}
