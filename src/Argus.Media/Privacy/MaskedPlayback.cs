using System.Collections.Concurrent;
using System.Diagnostics;
using Argus.Media.Ffmpeg;
using Argus.Media.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Media.Privacy;

/// <summary>
/// Recorded segments of a masked camera for playback: each is re-encoded once with the mask into fragmented MP4 (so
/// the player's Media Source Extensions path is unchanged) and kept a while for range requests and re-plays.
/// </summary>
public sealed class MaskedPlayback
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);
    private readonly RecordingLayout _layout;
    private readonly IOptions<FfmpegOptions> _ffmpeg;
    private readonly ILogger<MaskedPlayback> _log;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _building = new();

    /// <summary>Under the recordings root, where reconcile skips it (not a camera id); emptied at start.</summary>
    public string CacheDir { get; }

    public MaskedPlayback(RecordingLayout layout, IOptions<FfmpegOptions> ffmpeg, ILogger<MaskedPlayback> log)
    {
        (_layout, _ffmpeg, _log) = (layout, ffmpeg, log);
        CacheDir = Path.Combine(layout.Root, ".privacy-cache");
        if (Directory.Exists(CacheDir)) Directory.Delete(CacheDir, recursive: true);
    }

    /// <summary>The masked copy of one recorded segment (made now if it is not cached), as a file path.</summary>
    public async Task<string> GetAsync(string cameraId, long segmentId, string segmentPath, PrivacyMask mask, CancellationToken ct)
    {
        var output = Path.Combine(CacheDir, $"{cameraId}-{segmentId}-{mask.Key}.mp4");
        if (File.Exists(output))
        {
            File.SetLastWriteTimeUtc(output, DateTime.UtcNow); // still in use: not swept
            return output;
        }
        Sweep();
        // Shared by concurrent requests for the same segment, and not cancelled by one of them leaving.
        var build = _building.GetOrAdd(output, o => new Lazy<Task<string>>(() => BuildOnceAsync(cameraId, segmentPath, mask, o)));
        return await build.Value.WaitAsync(ct);
    }

    private async Task<string> BuildOnceAsync(string cameraId, string segmentPath, PrivacyMask mask, string output)
    {
        try { return await BuildAsync(cameraId, segmentPath, mask, output); }
        finally { _building.TryRemove(output, out _); } // a failure is retried by the next request
    }

    private async Task<string> BuildAsync(string cameraId, string segmentPath, PrivacyMask mask, string output)
    {
        Directory.CreateDirectory(CacheDir);
        var tmp = output + ".tmp";
        var masked = mask.Prepare(MaskUse.Playback, _layout.PrivacyDir(cameraId), PrivacyMask.FrameSizeOf(segmentPath));
        string[] args = ["-hide_banner", "-nostdin", "-loglevel", "error", .. masked.Around([], segmentPath),
            "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-y", tmp];
        var psi = new ProcessStartInfo(_ffmpeg.Value.FfmpegPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            File.Delete(tmp);
            _log.LogError("Camera {Camera}: masking {Segment} for playback failed: {Error}", cameraId, Path.GetFileName(segmentPath), err.Trim());
            throw new InvalidOperationException("masking the recording failed: " + err.Trim());
        }
        File.Move(tmp, output, overwrite: true);
        return output;
    }

    private void Sweep()
    {
        if (!Directory.Exists(CacheDir)) return;
        foreach (var f in Directory.EnumerateFiles(CacheDir, "*.mp4"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(f) < KeepFor) continue;
            try { File.Delete(f); }
            catch (IOException) { }
        }
    }
}
