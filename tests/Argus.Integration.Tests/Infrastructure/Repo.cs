namespace Argus.Integration.Tests.Infrastructure;

public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Assets
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", "assets"));
            if (!Directory.Exists(dir)) throw new InvalidOperationException($"shared assets are missing: expected {dir}");
            return dir;
        }
    }

    public static string Asset(string relative)
    {
        var path = Path.Combine(Assets, relative);
        if (!File.Exists(path)) throw new FileNotFoundException($"shared asset missing: {path}");
        return path;
    }

    /// <summary>The server built in the same configuration as this test assembly.</summary>
    public static string ServerDll => Built("Argus.Server", "argus-server.dll");

    /// <summary>The `argus` CLI built in the same configuration as this test assembly.</summary>
    public static string CliDll => Built("Argus.Cli", "argus-cli.dll");

    private static string Built(string project, string dll)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var path = Path.Combine(Root, "src", project, "bin", config, "net10.0", dll);
        if (!File.Exists(path)) throw new FileNotFoundException($"build {project} first: {path}");
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Argus.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Argus.sln) not found");
    }
}
