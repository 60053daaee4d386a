using System.Diagnostics;
using System.Text.Json;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>The `argus` CLI against the real server: login, add, list, pause/resume, export to a playable file.</summary>
public sealed class CliTests() : ServerWithCameras(new[] { "--synthetic", "cam:640x360@25:600" })
{
    private readonly string _home = Directory.CreateTempSubdirectory("argus-cli-home-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private (int Code, string Out, string Err) Cli(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = _home,
        };
        psi.Environment["ARGUS_CONFIG"] = Path.Combine(_home, "cli.json");
        psi.Environment["ARGUS_SERVER"] = Server.BaseAddress.ToString();
        psi.Environment.Remove("ARGUS_TOKEN");
        psi.ArgumentList.Add(Repo.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null) p.StandardInput.WriteLine(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the CLI hung");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public async Task A_user_can_log_in_add_a_camera_and_export_a_clip_with_the_cli()
    {
        var bad = Cli("wrong-password", "login", "--user", "admin", "--password-stdin");
        Assert.Equal(1, bad.Code);

        var login = Cli(ArgusServer.AdminPassword, "login", "--user", "admin", "--password-stdin");
        Assert.True(login.Code == 0, login.Err);
        Assert.DoesNotContain(ArgusServer.AdminPassword, login.Out + login.Err);

        var add = Cli(null, "cameras", "add", "--name", "Front door", "--main", Bed.Url("cam"), "--location", "Shop 4");
        Assert.True(add.Code == 0, add.Err);
        var id = add.Out.Trim().Split('\n', ' ').Last(w => Core(w));

        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await Server.RecordingsAsync(id, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow)).Count >= 2, TimeSpan.FromSeconds(40)));

        var list = Cli(null, "--json", "cameras", "list");
        Assert.Equal(0, list.Code);
        var cams = JsonDocument.Parse(list.Out).RootElement;
        var cam = cams.EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        Assert.Equal("online", cam.GetProperty("status").GetString());
        Assert.Equal("Shop 4", cam.GetProperty("location").GetString());

        var recs = await Server.RecordingsAsync(id, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        var from = recs[0].Start.AddSeconds(2);
        var to = from.AddSeconds(12);
        var file = Path.Combine(_home, "clip.mp4");
        var export = Cli(null, "export", id, "--from", from.ToString("O"), "--to", to.ToString("O"), "--out", file);
        Assert.True(export.Code == 0, export.Err + export.Out);
        Assert.InRange(Ffprobe.Duration(file) ?? 0, 11.9, 14.2);

        Assert.Equal(0, Cli(null, "cameras", "pause", id).Code);
        Assert.Equal("paused", (await Server.CameraAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(0, Cli(null, "cameras", "resume", id).Code);
        Assert.True(await ArgusServer.WaitUntilAsync(async () =>
            (await Server.CameraAsync(id))["status"]!.GetValue<string>() == "online", TimeSpan.FromSeconds(15)));

        var missing = Cli(null, "export", id, "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-01T00:01:00Z", "--out", Path.Combine(_home, "none.mp4"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("no recordings", missing.Err + missing.Out);
        Assert.False(File.Exists(Path.Combine(_home, "none.mp4")));
    }

    private static bool Core(string word) => word.Length == 12 && word.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
