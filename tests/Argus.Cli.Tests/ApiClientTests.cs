using System.Net;
using System.Text.Json;
using Argus.Cli.Api;

namespace Argus.Cli.Tests;

public sealed class ApiClientTests : IDisposable
{
    private const string Token = "tok-0123456789abcdefghijkl";
    private static readonly DateTimeOffset From = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 3, 1, 10, 5, 0, TimeSpan.Zero);
    private readonly string dir = Directory.CreateTempSubdirectory("argus-cli-export-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private const string CameraJson = """
        {"id":"a1b2c3","name":"Gate","mainUrl":"rtsp://10.0.0.5/stream1","subUrl":null,"transport":"tcp","location":"north",
         "description":null,"paused":false,"retentionDays":30,"hasCredentials":true,"createdAt":"2026-01-01T00:00:00+00:00",
         "status":"online","fps":25,"bitrateKbps":2048.5,"lastFrameAt":"2026-03-01T10:00:00Z","restarts":2,"lastError":null,
         "statusSince":"2026-03-01T09:00:00Z"}
        """;

    [Fact]
    public async Task Sends_the_bearer_token_and_parses_cameras()
    {
        await using var server = TestServer.Json(200, "[" + CameraJson + "]");
        using var client = new ApiClient(server.Url, Token);
        var reply = await client.CamerasAsync();

        var seen = server.Single();
        Assert.Equal(("GET", "/api/cameras", "Bearer " + Token), (seen.Method, seen.PathAndQuery, seen.Authorization));
        var camera = Assert.Single(reply.Value);
        Assert.Equal(("a1b2c3", "Gate", "online", 25.0, 2048.5, 2), (camera.Id, camera.Name, camera.Status, camera.Fps, camera.BitrateKbps, camera.Restarts));
        Assert.True(camera.HasCredentials);
        Assert.Equal(30, camera.RetentionDays);
        Assert.StartsWith("[", reply.Json); // the raw body, for --json
    }

    [Fact]
    public async Task Sends_no_authorization_without_a_token_nor_on_login()
    {
        await using var server = TestServer.Json(200, """{"token":"new-token-0123456789abcdef","expires":"2026-03-02T00:00:00Z"}""");
        using (var anonymous = new ApiClient(server.Url, null))
            await anonymous.StorageAsync().ContinueWith(_ => { });
        using (var client = new ApiClient(server.Url, Token))
        {
            var login = await client.LoginAsync("admin", "pw\"with quotes");
            Assert.Equal("new-token-0123456789abcdef", login.Token);
        }

        var requests = server.Requests.ToArray();
        Assert.All(requests, r => Assert.Null(r.Authorization));
        var body = JsonDocument.Parse(requests[1].Body).RootElement;
        Assert.Equal(("/api/auth/token", "admin", "pw\"with quotes"), (requests[1].PathAndQuery, body.GetProperty("user").GetString(), body.GetProperty("password").GetString()));
    }

    [Fact]
    public async Task Problem_details_become_ApiException()
    {
        await using var server = TestServer.Json(401, """{"type":"about:blank","title":"Unauthorized","status":401,"detail":"wrong user name or password."}""",
            "application/problem+json");
        using var client = new ApiClient(server.Url, null);
        var e = await Assert.ThrowsAsync<ApiException>(() => client.LoginAsync("admin", "nope"));
        Assert.Equal((401, "Unauthorized", "wrong user name or password."), (e.Status, e.Title, e.Detail));
    }

    [Fact]
    public async Task Errors_without_problem_json_still_say_what_happened()
    {
        await using var server = new TestServer(ctx => TestServer.Respond(ctx, 502, "<html>bad gateway</html>", "text/html"));
        using var client = new ApiClient(server.Url, Token);
        var e = await Assert.ThrowsAsync<ApiException>(() => client.StorageAsync());
        Assert.Equal(502, e.Status);
        Assert.Contains("502", e.Detail);
        Assert.DoesNotContain("<html>", e.Detail);
    }

    [Fact]
    public async Task Forbidden_with_empty_body_has_a_readable_detail()
    {
        await using var server = new TestServer(ctx => { ctx.Response.StatusCode = 403; ctx.Response.Close(); return Task.CompletedTask; });
        using var client = new ApiClient(server.Url, Token);
        var e = await Assert.ThrowsAsync<ApiException>(() => client.PauseCameraAsync("a1b2c3"));
        Assert.Equal(403, e.Status);
        Assert.Contains("not allowed", e.Detail);
    }

    [Fact]
    public async Task An_unexpected_body_is_an_api_error_not_a_crash()
    {
        await using var server = TestServer.Json(200, "{\"unexpected\":true}");
        using var client = new ApiClient(server.Url, Token);
        var e = await Assert.ThrowsAsync<ApiException>(() => client.CamerasAsync());
        Assert.Contains("not what this client expects", e.Detail);
    }

    [Fact]
    public async Task Nobody_listening_is_ServerUnreachable()
    {
        var port = FreePort();
        using var client = new ApiClient(new Uri($"http://127.0.0.1:{port}"), Token);
        var e = await Assert.ThrowsAsync<ServerUnreachableException>(() => client.CamerasAsync());
        Assert.StartsWith($"cannot reach server at http://127.0.0.1:{port}: ", e.Message);
        Assert.DoesNotContain(Token, e.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out_as_unreachable()
    {
        await using var server = new TestServer(ctx => Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => ctx.Response.Close()));
        using var client = new ApiClient(server.Url, Token) { Timeout = TimeSpan.FromMilliseconds(300) };
        var e = await Assert.ThrowsAsync<ServerUnreachableException>(() => client.StorageAsync());
        Assert.Contains("no answer", e.Reason);
    }

    [Fact]
    public async Task Requests_carry_times_and_bodies_as_the_server_expects()
    {
        await using var server = new TestServer(ctx => ctx.Request.Url!.AbsolutePath switch
        {
            "/api/cameras" => TestServer.Respond(ctx, 201, """{"id":"ff00ee"}"""),
            var p when p.EndsWith("/locks") => TestServer.Respond(ctx, 201,
                """{"id":7,"cameraId":"a1b2c3","from":"2026-03-01T10:00:00Z","to":"2026-03-01T10:05:00Z","reason":"case 12","createdBy":"admin","createdAt":"2026-03-01T11:00:00Z"}"""),
            var p when p.EndsWith("/recordings") => TestServer.Respond(ctx, 200, """[{"start":"2026-03-01T10:00:00Z","end":"2026-03-01T10:01:00Z","bytes":1000}]"""),
            _ => TestServer.Respond(ctx, 204, ""),
        });
        using var client = new ApiClient(server.Url, Token);

        var created = await client.AddCameraAsync(new CameraRequest { Name = "Gate", MainUrl = "rtsp://10.0.0.5/s", Paused = true });
        Assert.Equal("ff00ee", created.Value.Id);
        var recordings = await client.RecordingsAsync("a1b2c3", From, To);
        Assert.Equal(1000, Assert.Single(recordings.Value).Bytes);
        var l = await client.AddLockAsync("a1b2c3", From, To, "case 12");
        Assert.Equal(7, l.Value.Id);
        await client.RemoveLockAsync("a1b2c3", 7);
        await client.RemoveCameraAsync("a1b2c3", deleteRecordings: true);
        await client.EventsAsync(new EventFilter("a1b2c3", "camera.offline", From, null));

        var r = server.Requests.ToArray();
        var add = JsonDocument.Parse(r[0].Body).RootElement;
        Assert.Equal(["name", "mainUrl", "paused"], add.EnumerateObject().Select(p => p.Name)); // unset fields are not sent
        Assert.Equal("/api/cameras/a1b2c3/recordings?from=2026-03-01T10%3A00%3A00Z&to=2026-03-01T10%3A05%3A00Z", r[1].PathAndQuery);
        Assert.Equal("""{"from":"2026-03-01T10:00:00Z","to":"2026-03-01T10:05:00Z","reason":"case 12"}""", r[2].Body);
        Assert.Equal(("DELETE", "/api/cameras/a1b2c3/locks/7"), (r[3].Method, r[3].PathAndQuery));
        Assert.Equal(("DELETE", "/api/cameras/a1b2c3?deleteRecordings=true"), (r[4].Method, r[4].PathAndQuery));
        Assert.Equal("/api/events?camera=a1b2c3&type=camera.offline&from=2026-03-01T10%3A00%3A00Z", r[5].PathAndQuery);
        Assert.All(r, x => Assert.Equal("Bearer " + Token, x.Authorization));
    }

    [Fact]
    public async Task Ids_cannot_escape_their_path()
    {
        await using var server = TestServer.Json(404, """{"title":"Not found","detail":"no such camera.","status":404}""");
        using var client = new ApiClient(server.Url, Token);
        await Assert.ThrowsAsync<ApiException>(() => client.CameraAsync("../auth/token"));
        Assert.Equal("/api/cameras/..%2Fauth%2Ftoken", server.Single().PathAndQuery);
    }

    private sealed class RecordingProgress : IDownloadProgress
    {
        public List<long?> Starts { get; } = [];
        public List<long> Advances { get; } = [];
        public void Started(long? totalBytes) => Starts.Add(totalBytes);
        public void Advanced(long bytesSoFar) => Advances.Add(bytesSoFar);
    }

    private static byte[] Clip(int size) => Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

    private static TestServer ClipServer(byte[] clip) => new(async ctx =>
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "video/mp4";
        ctx.Response.ContentLength64 = clip.Length;
        ctx.Response.AddHeader("Content-Disposition", "attachment; filename=a1b2c3_20260301T100000Z_300s.mp4");
        for (var i = 0; i < clip.Length; i += 50_000)
        {
            await ctx.Response.OutputStream.WriteAsync(clip.AsMemory(i, Math.Min(50_000, clip.Length - i)));
            await ctx.Response.OutputStream.FlushAsync();
        }
        ctx.Response.Close();
    });

    [Fact]
    public async Task Export_writes_the_file_and_reports_progress()
    {
        var clip = Clip(300_000);
        await using var server = ClipServer(clip);
        using var client = new ApiClient(server.Url, Token);
        var progress = new RecordingProgress();
        var path = Path.Combine(dir, "out.mp4");

        var result = await client.ExportClipAsync("a1b2c3", From, To, path, overwrite: false, progress);

        Assert.Equal(clip, await File.ReadAllBytesAsync(path));
        Assert.Equal((Path.GetFullPath(path), 300_000L, "a1b2c3_20260301T100000Z_300s.mp4"), (result.Path, result.Bytes, result.SuggestedFileName));
        Assert.Equal([300_000L], progress.Starts);
        Assert.True(progress.Advances.Count > 1);
        Assert.Equal(progress.Advances.Order(), progress.Advances);
        Assert.Equal(300_000, progress.Advances[^1]);
        Assert.Equal(["out.mp4"], Directory.GetFiles(dir).Select(Path.GetFileName)); // the temporary file is gone
        var seen = server.Single();
        Assert.Equal(("/api/cameras/a1b2c3/clip?from=2026-03-01T10%3A00%3A00Z&to=2026-03-01T10%3A05%3A00Z", "Bearer " + Token),
            (seen.PathAndQuery, seen.Authorization));
    }

    [Fact]
    public async Task Export_does_not_replace_a_file_unless_told()
    {
        var clip = Clip(1000);
        await using var server = ClipServer(clip);
        using var client = new ApiClient(server.Url, Token);
        var path = Path.Combine(dir, "out.mp4");
        await File.WriteAllTextAsync(path, "keep me");

        await Assert.ThrowsAsync<CliUsageException>(() => client.ExportClipAsync("a1b2c3", From, To, path, overwrite: false));
        Assert.Equal("keep me", await File.ReadAllTextAsync(path));
        Assert.Empty(server.Requests); // refused before asking the server to cut a clip

        await client.ExportClipAsync("a1b2c3", From, To, path, overwrite: true);
        Assert.Equal(clip, await File.ReadAllBytesAsync(path));
    }

    [Theory]
    [InlineData(404, "no recordings in this range.")]
    [InlineData(400, "a clip is at most 4 hours.")]
    public async Task Export_errors_carry_the_detail_and_leave_no_file(int status, string detail)
    {
        await using var server = TestServer.Json(status, JsonSerializer.Serialize(new { title = "x", status, detail }), "application/problem+json");
        using var client = new ApiClient(server.Url, Token);
        var progress = new RecordingProgress();
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            client.ExportClipAsync("a1b2c3", From, To, Path.Combine(dir, "out.mp4"), overwrite: false, progress));
        Assert.Equal((status, detail), (e.Status, e.Detail));
        Assert.Empty(Directory.GetFiles(dir));
        Assert.Empty(progress.Starts);
    }

    [Fact]
    public async Task Export_cut_short_leaves_no_file()
    {
        await using var server = new TestServer(async ctx =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentLength64 = 100_000;
            await ctx.Response.OutputStream.WriteAsync(new byte[10_000]);
            await ctx.Response.OutputStream.FlushAsync();
            ctx.Response.Abort();
        });
        using var client = new ApiClient(server.Url, Token);
        await Assert.ThrowsAsync<ServerUnreachableException>(() =>
            client.ExportClipAsync("a1b2c3", From, To, Path.Combine(dir, "out.mp4"), overwrite: false));
        Assert.Empty(Directory.GetFiles(dir));
    }

    internal static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
