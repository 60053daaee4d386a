using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Argus.Media.Ffmpeg;

public sealed record ProbeResult(bool Valid, TimeSpan Duration, string? VideoCodec, int Width, int Height, string? Error);

/// <summary>Runs ffprobe on a file to validate it and read its duration.</summary>
public sealed class MediaProbe(IOptions<FfmpegOptions> options)
{
    /// <summary>Fragmented MP4 (what the recorder writes) is read in-process; anything else goes to ffprobe.</summary>
    public async Task<ProbeResult> ProbeAsync(string path, CancellationToken ct = default)
    {
        try
        {
            if (Mp4Inspector.Inspect(path) is { } inspected) return inspected;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            return new ProbeResult(false, TimeSpan.Zero, null, 0, 0, e.Message);
        }
        return await FfprobeAsync(path, ct);
    }

    public async Task<ProbeResult> FfprobeAsync(string path, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(options.Value.FfprobePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,width,height", "-of", "json", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffprobe did not start");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var json = await stdout;
        var err = (await stderr).Trim();
        if (p.ExitCode != 0)
            return new ProbeResult(false, TimeSpan.Zero, null, 0, 0, string.IsNullOrEmpty(err) ? $"ffprobe exit {p.ExitCode}" : err);
        return Parse(json);
    }

    internal static ProbeResult Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? codec = null;
        int w = 0, h = 0;
        if (root.TryGetProperty("streams", out var streams))
            foreach (var s in streams.EnumerateArray())
                if (s.TryGetProperty("codec_type", out var t) && t.GetString() == "video")
                {
                    codec = s.TryGetProperty("codec_name", out var c) ? c.GetString() : null;
                    w = s.TryGetProperty("width", out var ww) ? ww.GetInt32() : 0;
                    h = s.TryGetProperty("height", out var hh) ? hh.GetInt32() : 0;
                    break;
                }
        var duration = TimeSpan.Zero;
        if (root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            duration = TimeSpan.FromSeconds(seconds);
        if (codec is null) return new ProbeResult(false, duration, null, 0, 0, "no video stream");
        if (duration <= TimeSpan.Zero) return new ProbeResult(false, duration, codec, w, h, "no playable duration");
        return new ProbeResult(true, duration, codec, w, h, null);
    }
}
