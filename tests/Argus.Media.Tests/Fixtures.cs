using System.Diagnostics;
using System.Globalization;

namespace Argus.Media.Tests;

internal static class Fixtures
{
    public static string Asset(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Argus.sln"))) dir = dir.Parent;
        var path = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "assets", relative));
        if (!File.Exists(path)) throw new FileNotFoundException($"shared asset missing: {path}");
        return path;
    }

    public static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
    }

    public static double FfprobeDuration(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return double.Parse(output, CultureInfo.InvariantCulture);
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "argus-media-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}
