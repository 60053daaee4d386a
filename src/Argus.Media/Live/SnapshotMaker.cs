using System.Diagnostics;
using Argus.Core.Privacy;
using Argus.Core.Recording;
using Argus.Media.Ffmpeg;
using Argus.Media.Privacy;
using Argus.Media.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Media.Live;

/// <summary>A JPEG of a camera's picture and where it came from.</summary>
public sealed record Snapshot(byte[] Jpeg, SnapshotSource Source, DateTimeOffset MadeAt);

public enum SnapshotSource { Live, Recording }

/// <summary>
/// JPEG snapshots: the latest keyframe of the live channel (init + that fragment piped through a short ffmpeg), or,
/// when the camera has no live video (paused, offline), a frame near the end of its newest recording. Each camera's
/// snapshot is kept for <see cref="CacheFor"/> and concurrent requests share one ffmpeg, so a wall of tiles
/// refreshing every second costs one decode per camera per second, not one per tile. A camera's privacy masks are
/// applied to every snapshot, live ones included (the live output is masked already, but may predate a mask change).
/// </summary>
public sealed class SnapshotMaker(RecorderHost recorders, ISegmentIndex index, RecordingLayout layout, IOptions<FfmpegOptions> ffmpeg,
    ICameraPrivacy privacy, TimeProvider clock, ILogger<SnapshotMaker> log)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, (DateTimeOffset At, Task<Snapshot?> Task)> _cache = [];

    /// <summary>The camera's current picture, or null when there is neither live video nor a recording.</summary>
    public Task<Snapshot?> GetAsync(string cameraId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        Task<Snapshot?> task;
        lock (_cache)
        {
            if (!_cache.TryGetValue(cameraId, out var entry) || (entry.Task.IsCompleted && now - entry.At >= CacheFor))
                _cache[cameraId] = entry = (now, MakeAsync(cameraId));
            task = entry.Task;
        }
        // The shared task is not tied to one caller's token: other requests may be waiting on the same ffmpeg.
        return task.WaitAsync(ct);
    }

    private async Task<Snapshot?> MakeAsync(string cameraId)
    {
        await Task.Yield(); // out of the cache's lock before any work
        try
        {
            var mask = PrivacyMask.From((await privacy.ForCameraAsync(cameraId)).Masks);
            if (recorders.Live(cameraId)?.LatestKeyframe() is var (init, keyframe))
            {
                var masked = mask?.Prepare(MaskUse.Snapshot, layout.PrivacyDir(cameraId), (init.Width, init.Height));
                var jpeg = await DecodeAsync(masked?.Around(["-f", "mp4"], "pipe:0") ?? ["-f", "mp4", "-i", "pipe:0"], [init.Data, keyframe.Data]);
                if (jpeg is not null) return new Snapshot(jpeg, SnapshotSource.Live, clock.GetUtcNow());
            }
            if (await index.NewestAsync(cameraId) is { } segment)
            {
                var path = layout.FullPath(segment.Path);
                var masked = mask?.Prepare(MaskUse.Snapshot, layout.PrivacyDir(cameraId), PrivacyMask.FrameSizeOf(path));
                // -sseof: decoding starts at the keyframe before the last second, so this is about the last picture.
                var jpeg = await DecodeAsync(masked?.Around(["-sseof", "-1"], path) ?? ["-sseof", "-1", "-i", path], []);
                if (jpeg is not null) return new Snapshot(jpeg, SnapshotSource.Recording, segment.End);
            }
            return null;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Camera {Camera}: snapshot failed", cameraId);
            return null;
        }
    }

    /// <summary>Decodes one frame of the input to JPEG; <paramref name="stdin"/> is written to ffmpeg's stdin.</summary>
    private async Task<byte[]?> DecodeAsync(IReadOnlyList<string> input, byte[][] stdin)
    {
        var psi = new ProcessStartInfo(ffmpeg.Value.FfmpegPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        string[] args = ["-hide_banner", "-loglevel", "error", .. input, "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", "-q:v", "4", "pipe:1"];
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var output = new MemoryStream();
            var reading = p.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
            var errors = p.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                foreach (var chunk in stdin) await p.StandardInput.BaseStream.WriteAsync(chunk, timeout.Token);
            }
            catch (IOException) { } // ffmpeg stopped reading: it has its frame, or failed (its exit code says which)
            p.StandardInput.Close();
            await reading;
            await p.WaitForExitAsync(timeout.Token);
            if (p.ExitCode == 0 && output.Length > 0) return output.ToArray();
            log.LogDebug("snapshot ffmpeg exited {Code}: {Error}", p.ExitCode, (await errors).Trim());
            return null;
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return null;
        }
    }
}
