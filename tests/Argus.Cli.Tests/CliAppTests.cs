using System.Text.Json;
using Spectre.Console;

namespace Argus.Cli.Tests;

/// <summary>Whole commands, in-process, against a test server: exit codes, messages and what is saved.</summary>
public sealed class CliAppTests : IDisposable
{
    private const string Token = "tok-0123456789abcdefghijkl";
    private readonly string dir = Directory.CreateTempSubdirectory("argus-cli-app-").FullName;
    private readonly StringWriter stdout = new();
    private readonly StringWriter console = new();
    private readonly StringWriter stderr = new();
    private readonly Dictionary<string, string> variables = new();

    public CliAppTests() => variables["ARGUS_CONFIG"] = Path.Combine(dir, "cli.json");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static IAnsiConsole Plain(TextWriter writer)
    {
        var c = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        c.Profile.Width = 200;
        return c;
    }

    private Task<int> RunWithInput(string stdin, params string[] args) => CliApp.RunAsync(args, new CliEnvironment
    {
        Console = Plain(console),
        Out = stdout,
        Error = Plain(stderr),
        In = new StringReader(stdin),
        Variable = n => variables.GetValueOrDefault(n),
    });

    private Task<int> Run(params string[] args) => RunWithInput("", args);

    private string AllOutput => stdout.ToString() + console + stderr;

    [Fact]
    public async Task Login_saves_server_and_token_and_never_prints_the_token()
    {
        await using var server = TestServer.Json(200, $$"""{"token":"{{Token}}","expires":"2026-03-02T00:00:00Z"}""");
        var code = await RunWithInput("s3cret\n", "login", "--server", server.Url.ToString(), "--user", "admin", "--password-stdin");

        Assert.Equal(0, code);
        var saved = new CliConfigFile(variables["ARGUS_CONFIG"]).Load();
        Assert.Equal((server.Url.AbsoluteUri.TrimEnd('/'), Token), (saved.Server, saved.Token));
        Assert.Contains("admin", console.ToString());
        Assert.DoesNotContain(Token, AllOutput);
        Assert.DoesNotContain("s3cret", AllOutput);
        var body = JsonDocument.Parse(server.Single().Body).RootElement;
        Assert.Equal("s3cret", body.GetProperty("password").GetString());

        // Later commands use the saved server and token.
        Assert.Equal(0, await Run("storage"));
        Assert.Equal("Bearer " + Token, server.Requests.Last().Authorization);
    }

    [Fact]
    public async Task Login_takes_the_password_from_ARGUS_PASSWORD_and_fails_clearly_without_one()
    {
        await using var server = TestServer.Json(401, """{"title":"Unauthorized","status":401,"detail":"wrong user name or password."}""", "application/problem+json");
        Assert.Equal(2, await Run("login", "--server", server.Url.ToString(), "--user", "admin"));
        Assert.Contains("no password", stderr.ToString());
        Assert.Empty(server.Requests);

        variables["ARGUS_PASSWORD"] = "bad";
        Assert.Equal(1, await Run("login", "--server", server.Url.ToString(), "--user", "admin"));
        Assert.Contains("wrong user name or password.", stderr.ToString());
        Assert.False(File.Exists(variables["ARGUS_CONFIG"]));
    }

    [Fact]
    public async Task A_saved_token_is_not_sent_to_another_server()
    {
        await using var server = TestServer.Json(200, "[]");
        new CliConfigFile(variables["ARGUS_CONFIG"]).Save(new CliConfig { Server = "http://127.0.0.1:1", Token = Token });

        Assert.Equal(0, await Run("cameras", "list", "--server", server.Url.ToString()));
        Assert.Null(server.Single().Authorization);
    }

    [Fact]
    public async Task Token_option_and_environment_override_the_saved_one()
    {
        await using var server = TestServer.Json(200, "[]");
        new CliConfigFile(variables["ARGUS_CONFIG"]).Save(new CliConfig { Server = server.Url.ToString(), Token = "saved-token-0123456789" });
        variables["ARGUS_TOKEN"] = "env-token-0123456789";
        Assert.Equal(0, await Run("cameras", "list"));
        Assert.Equal(0, await Run("cameras", "list", "--token", "option-token-0123456789"));
        Assert.Equal(["Bearer env-token-0123456789", "Bearer option-token-0123456789"], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Json_flag_prints_the_servers_json()
    {
        const string json = """[{"start":"2026-03-01T10:00:00Z","end":"2026-03-01T10:01:00Z","bytes":1000}]""";
        await using var server = TestServer.Json(200, json);
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(0, await Run("recordings", "a1b2c3", "--from", "-1h", "--to", "now", "--json"));
        Assert.Equal(json, stdout.ToString().Trim());
        Assert.Equal("", console.ToString());
    }

    [Fact]
    public async Task Tables_show_recordings_with_totals()
    {
        await using var server = TestServer.Json(200,
            """[{"start":"2026-03-01T10:00:00Z","end":"2026-03-01T10:01:00Z","bytes":1048576},{"start":"2026-03-01T10:01:00Z","end":"2026-03-01T10:02:30Z","bytes":1048576}]""");
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(0, await Run("recordings", "a1b2c3", "--from=-1h"));
        Assert.Contains("2 segments, 2m 30s, 2.00 MiB", console.ToString());
    }

    [Fact]
    public async Task Api_errors_exit_1_with_the_detail()
    {
        await using var server = TestServer.Json(404, """{"title":"Not found","status":404,"detail":"no such camera."}""", "application/problem+json");
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(1, await Run("cameras", "show", "a1b2c3"));
        Assert.Contains("error: no such camera.", stderr.ToString());
        Assert.DoesNotContain("   at ", AllOutput); // no stack trace
    }

    [Fact]
    public async Task Unauthorized_says_how_to_log_in()
    {
        await using var server = TestServer.Json(401, """{"title":"Unauthorized","detail":"a valid bearer token is required (POST /api/auth/token)."}""");
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(1, await Run("storage"));
        Assert.Contains("argus login", stderr.ToString());
    }

    [Fact]
    public async Task Unreachable_server_exits_3()
    {
        var url = $"http://127.0.0.1:{ApiClientTests.FreePort()}";
        Assert.Equal(3, await Run("cameras", "list", "--server", url));
        Assert.StartsWith($"error: cannot reach server at {url}: ", stderr.ToString());
    }

    [Theory]
    [InlineData("cameras", "bogus")]
    [InlineData("cameras", "show")]
    [InlineData("recordings", "a1b2c3", "--from", "soon")]
    [InlineData("recordings", "a1b2c3", "--from", "-1h", "--to", "-2h")]
    [InlineData("recordings", "NOT/AN/ID")]
    [InlineData("cameras", "add", "--name", "x")]
    [InlineData("cameras", "add", "--name", "x", "--main", "rtsp://h/s", "--transport", "sctp")]
    [InlineData("cameras", "update", "a1b2c3")]
    [InlineData("export", "a1b2c3", "--to", "now")]
    [InlineData("--server", "ftp://nvr", "storage")]
    public async Task Usage_errors_exit_2_without_calling_the_server(params string[] args)
    {
        await using var server = TestServer.Json(200, "{}");
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(2, await Run(args));
        Assert.Empty(server.Requests);
        Assert.NotEqual("", stderr.ToString());
    }

    [Fact]
    public async Task Cameras_add_prints_the_new_id_and_reads_the_camera_password_from_stdin()
    {
        await using var server = TestServer.Json(201, """{"id":"0a1b2c3d4e5f"}""");
        variables["ARGUS_SERVER"] = server.Url.ToString();
        var code = await RunWithInput("campw\n", "cameras", "add", "--name", "Gate", "--main", "rtsp://10.0.0.5/s", "--username", "viewer",
            "--password-stdin", "--transport", "udp", "--retention-days", "14", "--paused");
        Assert.Equal(0, code);
        Assert.Equal("0a1b2c3d4e5f", stdout.ToString().Trim());
        Assert.DoesNotContain("campw", AllOutput);
        var body = JsonDocument.Parse(server.Single().Body).RootElement;
        Assert.Equal(("Gate", "viewer", "campw", "udp", 14.0, true),
            (body.GetProperty("name").GetString(), body.GetProperty("username").GetString(), body.GetProperty("password").GetString(),
             body.GetProperty("transport").GetString(), body.GetProperty("retentionDays").GetDouble(), body.GetProperty("paused").GetBoolean()));
    }

    [Fact]
    public async Task Cameras_update_sends_only_what_was_given()
    {
        await using var server = TestServer.Json(200, """
            {"id":"a1b2c3","name":"Gate","mainUrl":"rtsp://h/s","paused":false,"hasCredentials":false,"createdAt":"2026-01-01T00:00:00Z",
             "status":"online","fps":25,"bitrateKbps":1000,"restarts":0}
            """);
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(0, await Run("cameras", "update", "a1b2c3", "--location", "north", "--paused", "false"));
        var seen = server.Single();
        Assert.Equal(("PUT", "/api/cameras/a1b2c3"), (seen.Method, seen.PathAndQuery));
        Assert.Equal("""{"location":"north","paused":false}""", seen.Body);
    }

    [Fact]
    public async Task Export_without_terminal_writes_the_file()
    {
        var clip = new byte[70_000];
        Random.Shared.NextBytes(clip);
        await using var server = new TestServer(async ctx =>
        {
            ctx.Response.ContentType = "video/mp4";
            ctx.Response.ContentLength64 = clip.Length;
            await ctx.Response.OutputStream.WriteAsync(clip);
            ctx.Response.Close();
        });
        variables["ARGUS_SERVER"] = server.Url.ToString();
        var path = Path.Combine(dir, "clip.mp4");
        Assert.Equal(0, await Run("export", "a1b2c3", "--from", "-10m", "--to", "-5m", "--out", path));
        Assert.Equal(clip, await File.ReadAllBytesAsync(path));
        Assert.Contains("clip.mp4", console.ToString());
    }

    [Fact]
    public async Task Export_with_no_recordings_exits_1_with_the_servers_reason()
    {
        await using var server = TestServer.Json(404, """{"title":"Not found","status":404,"detail":"no recordings between those times."}""", "application/problem+json");
        variables["ARGUS_SERVER"] = server.Url.ToString();
        Assert.Equal(1, await Run("export", "a1b2c3", "--from", "-10m", "--out", Path.Combine(dir, "clip.mp4")));
        Assert.Contains("no recordings between those times.", stderr.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "clip.mp4")));
    }
}
