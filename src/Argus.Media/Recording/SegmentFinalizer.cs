using Argus.Core.Recording;
using Argus.Media.Ffmpeg;
using Microsoft.Extensions.Logging;

namespace Argus.Media.Recording;

/// <summary>Validates a written segment, moves it into the dated layout and indexes it. Invalid files are deleted.</summary>
public sealed class SegmentFinalizer(RecordingLayout layout, MediaProbe probe, ISegmentIndex index, RecordingMetrics metrics, ILogger<SegmentFinalizer> log)
{
    /// <param name="start">Wall-clock start of the segment.</param>
    /// <param name="duration">Known duration (from ffmpeg's segment list), or null to use the probed one.</param>
    public async Task<Segment?> FinalizeAsync(string cameraId, string file, DateTimeOffset start, TimeSpan? duration, CancellationToken ct = default)
    {
        var info = new FileInfo(file);
        if (!info.Exists) return null;
        var result = await probe.ProbeAsync(file, ct);
        if (!result.Valid)
        {
            log.LogWarning("Camera {Camera}: discarding invalid segment {File} ({Reason})", cameraId, info.Name, result.Error);
            metrics.SegmentInvalid(cameraId);
            File.Delete(file);
            return null;
        }
        var length = duration is { } d && d > TimeSpan.Zero ? d : result.Duration;
        var relative = RecordingLayout.RelativePath(cameraId, start);
        var target = layout.FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            // Same millisecond start (clock step): keep both rather than overwrite.
            relative = relative[..^4] + "-" + Guid.NewGuid().ToString("N")[..6] + ".mp4";
            target = layout.FullPath(relative);
        }
        File.Move(file, target);
        var segment = new Segment(0, cameraId, start, start + length, info.Length, relative);
        var id = await index.AddAsync(segment, ct);
        metrics.SegmentWritten(cameraId, info.Length, DateTimeOffset.UtcNow - segment.End);
        return segment with { Id = id };
    }
}
