using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>
/// Per-camera authorisation on every endpoint, with grant schedules judged by the server's access clock (a file the
/// test writes), and the audit trail those requests leave.
/// </summary>
public sealed class AccessTests() : ServerWithCameras(TestBedArgs)
{
    private static readonly string[] TestBedArgs = ["--synthetic", "classroom:320x240@25:300", "--synthetic", "office:320x240@25:300"];

    private string ClockFile => Path.Combine(Server.DataDir, "access-clock");

    public override async Task InitializeAsync()
    {
        Bed = TestBed.Start(TestBedArgs);
        var dataDir = Path.Combine(Path.GetTempPath(), "argus-it-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(Path.Combine(dataDir, "access-clock"), "2026-11-25T10:00:00+08:00"); // a Wednesday, school hours
        Server = await ArgusServer.StartInAsync(dataDir, "--access-clock-file", Path.Combine(dataDir, "access-clock"));
    }

    [Fact]
    public async Task Viewer_sees_only_granted_cameras_with_granted_rights_inside_their_window()
    {
        var classroom = await Server.AddCameraAsync(new { name = "Classroom 3", mainUrl = Bed.Url("classroom") });
        var office = await Server.AddCameraAsync(new { name = "Office", mainUrl = Bed.Url("office") });
        var parent = await CreateUserAsync("parent", "viewer");
        var teacher = await CreateUserAsync("teacher", "viewer");
        var schoolDays = new { days = new[] { "mon", "tue", "wed", "thu", "fri" }, from = "08:00", to = "17:00", timeZone = "Asia/Shanghai" };
        await GrantAsync(parent, [new { camera = classroom, rights = new[] { "live" }, schedule = schoolDays }]);
        await GrantAsync(teacher, [new { camera = classroom, rights = new[] { "live", "playback", "export" }, schedule = schoolDays }]);
        using var asParent = await ClientForAsync("parent");
        using var asTeacher = await ClientForAsync("teacher");

        // The list holds the granted camera only, and nothing about its source.
        var list = (await asParent.GetFromJsonAsync<JsonArray>("/api/cameras"))!;
        Assert.Single(list);
        Assert.Equal(classroom, list[0]!["id"]!.GetValue<string>());
        Assert.Null(list[0]!["mainUrl"]);
        Assert.True(list[0]!["openNow"]!.GetValue<bool>());

        await Assert403(asParent, $"/api/cameras/{office}");
        await Assert403(asParent, $"/api/cameras/{office}/recordings?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");
        await Assert403(asParent, $"/api/cameras/{office}/clip?from=2026-01-01T00:00:00Z&to=2026-01-01T00:01:00Z");
        await Assert403(asParent, $"/api/cameras/{office}/locks");
        await Assert403(asParent, $"/api/events?camera={office}");
        await Assert403(asParent, $"/api/cameras/0123456789ab"); // not even an existing camera: same answer, nothing learned
        // Live only: the classroom's recordings, clips and events are not theirs.
        await Assert403(asParent, $"/api/cameras/{classroom}/recordings?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");
        await Assert403(asParent, $"/api/cameras/{classroom}/clip?from=2026-01-01T00:00:00Z&to=2026-01-01T00:01:00Z");
        await Assert403(asParent, $"/api/events?camera={classroom}");
        Assert.Empty((await asParent.GetFromJsonAsync<JsonArray>("/api/events"))!);
        // No administration either.
        await Assert403(asParent, "/api/users");
        await Assert403(asParent, "/api/audit");
        Assert.Equal(HttpStatusCode.Forbidden, (await asParent.PostAsJsonAsync("/api/cameras", new { name = "x", mainUrl = Bed.Url("office") })).StatusCode);

        // Inside the window the teacher may play back; at 17:00:01 Shanghai time no longer, though the camera stays listed.
        Assert.Equal(HttpStatusCode.OK, (await asTeacher.GetAsync($"/api/cameras/{classroom}/recordings?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z")).StatusCode);
        await File.WriteAllTextAsync(ClockFile, "2026-11-25T17:00:01+08:00");
        await Assert403(asTeacher, $"/api/cameras/{classroom}/recordings?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");
        Assert.False((await asTeacher.GetFromJsonAsync<JsonArray>("/api/cameras"))![0]!["openNow"]!.GetValue<bool>());
        // Saturday morning: closed too.
        await File.WriteAllTextAsync(ClockFile, "2026-11-28T10:00:00+08:00");
        await Assert403(asTeacher, $"/api/cameras/{classroom}/recordings?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");

        // Every denial is in the audit log, attributed.
        var audit = (await Server.Client.GetFromJsonAsync<JsonArray>("/api/audit?user=parent"))!;
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "login" && e["allowed"]!.GetValue<bool>());
        Assert.Contains(audit, e => e!["camera"]?.GetValue<string>() == office && !e["allowed"]!.GetValue<bool>());
        Assert.All(audit, e => Assert.Equal("127.0.0.1", e!["address"]!.GetValue<string>()));
        var teacherDenied = (await Server.Client.GetFromJsonAsync<JsonArray>($"/api/audit?user=teacher&action=playback"))!;
        Assert.Contains(teacherDenied, e => !e!["allowed"]!.GetValue<bool>() && e["detail"]!.GetValue<string>().Contains("schedule"));
        Assert.Contains(teacherDenied, e => e!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_parents_live_view_works_in_school_hours_and_ends_when_they_do()
    {
        var classroom = await Server.AddCameraAsync(new { name = "Classroom 3", mainUrl = Bed.Url("classroom") });
        var office = await Server.AddCameraAsync(new { name = "Office", mainUrl = Bed.Url("office") });
        var parent = await CreateUserAsync("parent", "viewer");
        await GrantAsync(parent, [new { camera = classroom, rights = new[] { "live" },
            schedule = new { days = new[] { "mon", "tue", "wed", "thu", "fri" }, from = "08:00", to = "17:00", timeZone = "Asia/Shanghai" } }]);
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await Server.CameraAsync(classroom))["status"]!.GetValue<string>() == "online",
            TimeSpan.FromSeconds(20)), Server.ReadLog());
        var token = await TokenForAsync("parent");
        using var asParent = ClientWith(token);
        await File.WriteAllTextAsync(ClockFile, "2026-11-25T16:59:50+08:00");

        // The first picture may take a moment after the camera comes online (503 until then).
        Assert.True(await ArgusServer.WaitUntilAsync(async () => (await asParent.GetAsync($"/api/cameras/{classroom}/snapshot")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10)));
        await Assert403(asParent, $"/api/cameras/{office}/snapshot");
        var refused = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        refused.Options.SetRequestHeader("Authorization", "Bearer " + token);
        await Assert.ThrowsAnyAsync<WebSocketException>(() => refused.ConnectAsync(LiveUri(office), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, refused.HttpStatusCode);

        using var ws = await LiveClient.ConnectAsync(LiveUri(classroom), token);
        var (init, _, fragments) = await LiveClient.ReceiveAsync(ws, fragments: 25);
        Assert.Equal("init", init["type"]!.GetValue<string>());
        // 17:00:01 in Shanghai: the stream is closed by policy, and a new one is refused.
        await File.WriteAllTextAsync(ClockFile, "2026-11-25T17:00:01+08:00");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await LiveClient.DrainUntilClosedAsync(ws));
        await Assert403(asParent, $"/api/cameras/{classroom}/snapshot");

        // The stop is written once the close handshake is over, a moment after the viewer saw it.
        JsonArray audit = [];
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
        {
            audit = (await Server.Client.GetFromJsonAsync<JsonArray>("/api/audit?user=parent"))!;
            return audit.Any(e => e!["action"]!.GetValue<string>() == "live.stop");
        }, TimeSpan.FromSeconds(10)));
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "live.start" && e["camera"]!.GetValue<string>() == classroom);
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "live.stop" && e["detail"]!.GetValue<string>().Contains("schedule"));
        Assert.Contains(audit, e => e!["camera"]?.GetValue<string>() == office && !e["allowed"]!.GetValue<bool>());
    }

    private Uri LiveUri(string id) => new($"ws://127.0.0.1:{Server.HttpPort}/api/cameras/{id}/live");

    [Fact]
    public async Task Bad_users_and_grants_are_refused_with_reasons()
    {
        var camera = await Server.AddCameraAsync(new { name = "Hall", mainUrl = Bed.Url("office") });
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Client.PostAsJsonAsync("/api/users", new { name = "x", password = "short", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Server.Client.PostAsJsonAsync("/api/users", new { name = "x", password = "long-enough-pw", role = "king" })).StatusCode);
        var id = await CreateUserAsync("viewer1", "viewer");
        Assert.Equal(HttpStatusCode.Conflict, (await Server.Client.PostAsJsonAsync("/api/users", new { name = "viewer1", password = "long-enough-pw", role = "viewer" })).StatusCode);
        async Task<string> Bad(object body)
        {
            var r = await Server.Client.PutAsJsonAsync($"/api/users/{id}/grants", body);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        }
        Assert.Contains("right", await Bad(new[] { new { camera, rights = new[] { "fly" }, schedule = (object?)null } }));
        Assert.Contains("no camera", await Bad(new[] { new { camera = "0123456789ab", rights = new[] { "live" }, schedule = (object?)null } }));
        Assert.Contains("timeZone", await Bad(new[] { new { camera, rights = new[] { "live" }, schedule = (object?)new { days = new[] { "mon" }, from = "08:00", to = "17:00", timeZone = "Mars/Olympus" } } }));
        Assert.Contains("HH:mm", await Bad(new[] { new { camera, rights = new[] { "live" }, schedule = (object?)new { days = new[] { "mon" }, from = "8 am", to = "17:00", timeZone = "UTC" } } }));
        Assert.Contains("day", await Bad(new[] { new { camera, rights = new[] { "live" }, schedule = (object?)new { days = new[] { "someday" }, from = "08:00", to = "17:00", timeZone = "UTC" } } }));
        Assert.Contains("twice", await Bad(new[] { new { camera, rights = new[] { "live" }, schedule = (object?)null }, new { camera, rights = new[] { "export" }, schedule = (object?)null } }));
        // Nothing half-applied.
        Assert.Empty((await Server.Client.GetFromJsonAsync<JsonArray>($"/api/users/{id}/grants"))!);
    }

    [Fact]
    public async Task Logins_are_rate_limited_per_address_and_every_attempt_is_audited()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
            statuses.Add((await Server.Anonymous.PostAsJsonAsync("/api/auth/token", new { user = "admin", password = "wrong-" + i })).StatusCode);
        // The first attempt of the test fixture's own login counts too: at most 10 a minute get an answer.
        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var right = await Server.Anonymous.PostAsJsonAsync("/api/auth/token", new { user = "admin", password = ArgusServer.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode); // even the right password waits out the minute
        var audit = (await Server.Client.GetFromJsonAsync<JsonArray>("/api/audit?action=login"))!;
        Assert.Contains(audit, e => !e!["allowed"]!.GetValue<bool>() && e["detail"]!.GetValue<string>().Contains("too many"));
        Assert.Contains(audit, e => !e!["allowed"]!.GetValue<bool>() && e["detail"]!.GetValue<string>().Contains("wrong"));
        var csv = await Server.Client.GetStringAsync("/api/audit?format=csv&action=login");
        Assert.StartsWith("seq,at,user,address,action,camera,allowed,detail\n", csv);
        Assert.True(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 12);
    }

    [Fact]
    public async Task Removing_a_user_or_changing_their_role_ends_their_sessions_at_once()
    {
        var id = await CreateUserAsync("temp", "operator");
        using var asTemp = await ClientForAsync("temp");
        Assert.Equal(HttpStatusCode.OK, (await asTemp.GetAsync("/api/cameras")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Client.PutAsJsonAsync($"/api/users/{id}", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asTemp.GetAsync("/api/cameras")).StatusCode);
        using var again = await ClientForAsync("temp");
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Client.DeleteAsync($"/api/users/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/cameras")).StatusCode);
    }

    [Fact]
    public async Task Audit_verify_passes_an_intact_log_and_names_the_first_edited_or_removed_entry()
    {
        await CreateUserAsync("someone", "viewer");
        using (await ClientForAsync("someone")) { }
        await Server.Client.GetAsync("/api/audit");
        await Server.StopAsync();

        Assert.Equal((0, "intact"), Verify(out var output) is var code && output.Contains("intact") ? (code, "intact") : (code, output));
        // An edit in the middle breaks that entry.
        Sql("UPDATE Audit SET Detail = 'nothing to see' WHERE Seq = 2");
        Assert.Equal(1, Verify(out output));
        Assert.Contains("entry 2", output);
        // Re-hashing the edited row without the key is not possible; deleting the newest entry is detected through the head.
        Sql("UPDATE Audit SET Detail = (SELECT Detail FROM Audit WHERE Seq = 2) WHERE Seq = 2"); // no-op keeps it broken
        Sql("DELETE FROM Audit WHERE Seq = 2");
        Assert.Equal(1, Verify(out output));
        Assert.Contains("entry 2", output);
    }

    [Fact]
    public async Task Truncating_the_audit_tail_is_detected()
    {
        await CreateUserAsync("someone", "viewer");
        await Server.StopAsync();
        Assert.Equal(0, Verify(out _));
        Sql("DELETE FROM Audit WHERE Seq = (SELECT MAX(Seq) FROM Audit)");
        Assert.Equal(1, Verify(out var output));
        Assert.Contains("removed from the end", output);
    }

    private int Verify(out string output)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Repo.ServerDll, "audit", "verify", "--data", Server.DataDir }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    /// <summary>Tampering as an intruder would: straight into the SQLite file, with Python's sqlite3.</summary>
    private void Sql(string statement)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var a in new[] { "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", Path.Combine(Server.DataDir, "argus.db"), statement })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
    }

    private static async Task Assert403(HttpClient client, string url)
    {
        using var r = await client.GetAsync(url);
        Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    private async Task<string> CreateUserAsync(string name, string role)
    {
        var r = await Server.Client.PostAsJsonAsync("/api/users", new { name, password = name + "-password", role });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private async Task GrantAsync(string userId, object[] grants)
    {
        var r = await Server.Client.PutAsJsonAsync($"/api/users/{userId}/grants", grants);
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private async Task<HttpClient> ClientForAsync(string name) => ClientWith(await TokenForAsync(name));

    private async Task<string> TokenForAsync(string name)
    {
        var r = await Server.Anonymous.PostAsJsonAsync("/api/auth/token", new { user = name, password = name + "-password" });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    private HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
