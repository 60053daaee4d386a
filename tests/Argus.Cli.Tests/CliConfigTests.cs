namespace Argus.Cli.Tests;

public sealed class CliConfigTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "argus-cli-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Missing_file_is_an_empty_config() =>
        Assert.Equal(new CliConfig(), new CliConfigFile(Path.Combine(dir, "none.json")).Load());

    [Fact]
    public void Save_then_load_round_trips()
    {
        var file = new CliConfigFile(Path.Combine(dir, "sub", "cli.json"));
        var config = new CliConfig { Server = "http://nvr:8080", Token = "secret-token-value-0123456789", Expires = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero) };
        file.Save(config);
        Assert.Equal(config, file.Load());

        file.Save(config with { Token = "other-token-value-0123456789" });
        Assert.Equal("other-token-value-0123456789", file.Load().Token);
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub"))); // no temporary files left
    }

    [Fact]
    public void File_is_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(dir, "argus", "cli.json");
        Directory.CreateDirectory(dir);
        var file = new CliConfigFile(path);
        file.Save(new CliConfig { Server = "http://a", Token = "t" });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));

        // An existing file that was readable by others is replaced by an owner-only one.
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        file.Save(new CliConfig { Server = "http://a", Token = "t2" });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Corrupt_file_is_a_clear_error()
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "cli.json");
        File.WriteAllText(path, "{ not json");
        var e = Assert.Throws<CliUsageException>(() => new CliConfigFile(path).Load());
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Path_comes_from_ARGUS_CONFIG_else_the_home_config_dir()
    {
        Assert.Equal("/x/y.json", CliConfigFile.DefaultPath(n => n == "ARGUS_CONFIG" ? "/x/y.json" : null));
        Assert.Equal(Path.Combine("/xdg", "argus", "cli.json"), CliConfigFile.DefaultPath(n => n == "XDG_CONFIG_HOME" ? "/xdg" : null));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".config", "argus", "cli.json"), CliConfigFile.DefaultPath(_ => null));
    }
}
