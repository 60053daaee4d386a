using System.Diagnostics;
using System.Globalization;
using System.Text;
using Argus.Core.Privacy;
using Argus.Core.Recording;
using Argus.Core.Time;
using Argus.Media.Ffmpeg;
using Argus.Media.Privacy;
using Argus.Media.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Media.Export;

public sealed record ExportResult(string Path, DateTimeOffset Start, DateTimeOffset End, long Bytes);

public sealed class NoRecordingException(string message) : Exception(message);

/// <summary>
/// Joins the segments covering a time range into one MP4 by stream copy (ffmpeg's concat demuxer with
/// in/out points), so the cut lands on the keyframe at or before the requested start. A camera with privacy masks is
/// re-encoded with the masks instead.
/// </summary>
public sealed class ClipExporter(RecordingLayout layout, ISegmentIndex index, IOptions<FfmpegOptions> ffmpeg, ICameraPrivacy privacy, ILogger<ClipExporter> log)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(24);

    /// <param name="outputDir">Where the MP4 is written; the caller owns (and deletes) the file.</param>
    /// <param name="progress">Fraction done, 0..1.</param>
    public async Task<ExportResult> ExportAsync(string cameraId, TimeRange range, string outputDir, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        if (range.Duration > MaxLength) throw new ArgumentException($"an export is at most {MaxLength.TotalHours:0} hours.");
        var segments = (await index.ListAsync(cameraId, range, ct)).Where(s => File.Exists(layout.FullPath(s.Path))).ToList();
        if (segments.Count == 0) throw new NoRecordingException("no recordings in that time range.");

        Directory.CreateDirectory(outputDir);
        var name = $"{cameraId}-{range.Start.UtcDateTime:yyyyMMdd'T'HHmmss}-{Guid.NewGuid():N}";
        var list = Path.Combine(outputDir, name + ".txt");
        var output = Path.Combine(outputDir, name + ".mp4");
        var sb = new StringBuilder("ffconcat version 1.0\n");
        TimeSpan total = TimeSpan.Zero;
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            sb.Append("file '").Append(layout.FullPath(s.Path).Replace("'", "'\\''")).Append("'\n");
            var inpoint = i == 0 && range.Start > s.Start ? range.Start - s.Start : TimeSpan.Zero;
            var outpoint = i == segments.Count - 1 && range.End < s.End ? range.End - s.Start : (TimeSpan?)null;
            if (inpoint > TimeSpan.Zero) sb.Append(CultureInfo.InvariantCulture, $"inpoint {inpoint.TotalSeconds:0.###}\n");
            if (outpoint is { } op) sb.Append(CultureInfo.InvariantCulture, $"outpoint {op.TotalSeconds:0.###}\n");
            total += (outpoint ?? s.End - s.Start) - inpoint;
        }
        await File.WriteAllTextAsync(list, sb.ToString(), ct);

        var psi = new ProcessStartInfo(ffmpeg.Value.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var mask = PrivacyMask.From((await privacy.ForCameraAsync(cameraId, ct)).Masks);
        string[] concat = ["-f", "concat", "-safe", "0"];
        // Masked: the whole clip at the first segment's size, whatever the camera switched to later.
        var video = mask?.Prepare(MaskUse.Export, layout.PrivacyDir(cameraId), PrivacyMask.FrameSizeOf(layout.FullPath(segments[0].Path)))
            .Around(concat, list) ?? [.. concat, "-i", list, "-map", "0:v", "-c", "copy"];
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error" }
                     .Concat(video).Concat(["-movflags", "+faststart", "-progress", "pipe:1", "-y", output]))
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
            using var kill = ct.Register(() => { try { p.Kill(); } catch (InvalidOperationException) { } });
            var err = p.StandardError.ReadToEndAsync(CancellationToken.None);
            await ProgressReader.ReadAsync(p.StandardOutput,
                r => progress?.Report(total > TimeSpan.Zero ? Math.Clamp(r.OutTime / total, 0, 1) : 0), CancellationToken.None);
            await p.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            if (p.ExitCode != 0)
            {
                var message = (await err).Trim();
                log.LogError("Export of camera {Camera} failed: {Error}", cameraId, message);
                throw new InvalidOperationException("export failed: " + message);
            }
        }
        catch
        {
            File.Delete(output);
            throw;
        }
        finally
        {
            File.Delete(list);
        }
        var start = segments[0].Start > range.Start ? segments[0].Start : range.Start;
        var end = segments[^1].End < range.End ? segments[^1].End : range.End;
        return new ExportResult(output, start, end, new FileInfo(output).Length);
    }
}
