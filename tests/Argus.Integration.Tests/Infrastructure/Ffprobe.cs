using System.Diagnostics;
using System.Globalization;

namespace Argus.Integration.Tests.Infrastructure;

public static class Ffprobe
{
    /// <summary>Duration of the file's video as ffprobe reads it, or null if it does not play.</summary>
    public static double? Duration(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "format=duration", "-of", "csv=p=0", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 && double.TryParse(output, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    /// <summary>Decodes every frame (the real test of playability) and returns the number of frames decoded.</summary>
    public static int DecodedFrames(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return int.TryParse(output, out var n) ? n : 0;
    }

    /// <summary>Codec and size of the first video stream (e.g. "mjpeg", 1280, 720), or null if ffprobe cannot read it.</summary>
    public static (string Codec, int Width, int Height)? Video(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var parts = p.StandardOutput.ReadToEnd().Trim().Split(',');
        p.WaitForExit();
        return p.ExitCode == 0 && parts.Length == 3 && int.TryParse(parts[1], out var w) && int.TryParse(parts[2], out var h) ? (parts[0], w, h) : null;
    }
}
