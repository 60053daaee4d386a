using System.Text.Json;
using System.Text.Json.Serialization;

namespace Argus.Cli;

/// <summary>What <c>argus login</c> saves: the server and a bearer token for it.</summary>
public sealed record CliConfig
{
    public string? Server { get; init; }
    public string? Token { get; init; }
    public DateTimeOffset? Expires { get; init; }
}

/// <summary>
/// The config file, at <c>$ARGUS_CONFIG</c> or <c>~/.config/argus/cli.json</c>. It holds a bearer token, so it is
/// written owner-only (0600, in a 0700 directory when the directory is new) and replaced atomically.
/// </summary>
public sealed class CliConfigFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = path;

    public static string DefaultPath(Func<string, string?> env)
    {
        if (env("ARGUS_CONFIG") is { Length: > 0 } explicitPath) return explicitPath;
        var configHome = env("XDG_CONFIG_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathFullyQualified(xdg)
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return System.IO.Path.Combine(configHome, "argus", "cli.json");
    }

    /// <summary>The saved config, or an empty one when there is no file yet.</summary>
    public CliConfig Load()
    {
        string text;
        try { text = File.ReadAllText(Path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return new CliConfig(); }
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(text, Json) ?? new CliConfig();
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"config file {Path} is not valid JSON ({e.Message}); fix or delete it and run 'argus login'.");
        }
    }

    public void Save(CliConfig config)
    {
        var full = System.IO.Path.GetFullPath(Path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
                JsonSerializer.Serialize(stream, config, Json);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
