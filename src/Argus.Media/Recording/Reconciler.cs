using System.Diagnostics;
using System.Globalization;
using Argus.Core.Recording;
using Argus.Media.Ffmpeg;
using Argus.Media.Native;
using Microsoft.Extensions.Logging;

namespace Argus.Media.Recording;

public sealed record ReconcileReport(int IncomingRecovered, int OrphansIndexed, int InvalidRemoved, int MissingDropped, int StaleProcessesKilled)
{
    public override string ToString() =>
        $"recovered {IncomingRecovered} unfinished segment(s), indexed {OrphansIndexed} orphan file(s), removed {InvalidRemoved} invalid file(s), " +
        $"dropped {MissingDropped} index entr(ies) without a file, stopped {StaleProcessesKilled} stale ffmpeg process(es)";
}

/// <summary>
/// Run at start, before recording: makes the index and the disk agree again after a crash or manual edits.
/// </summary>
public sealed class Reconciler(RecordingLayout layout, SegmentFinalizer finalizer, MediaProbe probe, ISegmentIndex index, ILogger<Reconciler> log)
{
    public async Task<ReconcileReport> RunAsync(CancellationToken ct = default)
    {
        int recovered = 0, orphans = 0, invalid = 0, killed = 0;
        Directory.CreateDirectory(layout.Root);
        var indexed = new HashSet<string>(await index.AllPathsAsync(ct), StringComparer.Ordinal);

        foreach (var cameraDir in Directory.EnumerateDirectories(layout.Root))
        {
            var cameraId = Path.GetFileName(cameraDir);
            if (!Core.Cameras.CameraId.IsValid(cameraId)) continue;

            var incoming = Path.Combine(cameraDir, RecordingLayout.IncomingFolder);
            if (Directory.Exists(incoming))
            {
                if (KillStaleFfmpeg(incoming)) killed++;
                foreach (var file in Directory.EnumerateFiles(incoming, "*.mp4").Order(StringComparer.Ordinal).ToList())
                {
                    try
                    {
                        var result = await probe.ProbeAsync(file, ct);
                        if (!result.Valid) { File.Delete(file); invalid++; continue; }
                        // The run's anchor is gone with the crashed process: birth time is when ffmpeg opened the segment.
                        var start = Posix.BirthTime(file) ?? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero) - result.Duration;
                        if (await finalizer.FinalizeAsync(cameraId, file, start, result.Duration, ct) is { } segment)
                        {
                            indexed.Add(segment.Path);
                            recovered++;
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogError(e, "Reconcile could not recover {File}", file);
                    }
                }
                foreach (var stale in Directory.EnumerateFiles(incoming).Where(f => !f.EndsWith(".mp4", StringComparison.Ordinal)))
                    File.Delete(stale);
            }

            foreach (var file in Directory.EnumerateFiles(cameraDir, "*.mp4", SearchOption.AllDirectories).ToList())
            {
                var relative = Path.GetRelativePath(layout.Root, file);
                if (relative.Contains(RecordingLayout.IncomingFolder, StringComparison.Ordinal) || indexed.Contains(relative)) continue;
                try
                {
                    var result = await probe.ProbeAsync(file, ct);
                    if (!result.Valid || !RecordingLayout.TryParseRelative(relative, out var cam, out var start))
                    {
                        File.Delete(file);
                        invalid++;
                        continue;
                    }
                    await index.AddAsync(new Segment(0, cam, start, start + result.Duration, new FileInfo(file).Length, relative), ct);
                    indexed.Add(relative);
                    orphans++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Reconcile could not index {File}", file);
                }
            }
        }

        var missing = indexed.Where(p => !File.Exists(layout.FullPath(p))).ToList();
        if (missing.Count > 0) await index.RemoveByPathsAsync(missing, ct);

        var report = new ReconcileReport(recovered, orphans, invalid, missing.Count, killed);
        log.LogInformation("Reconcile: {Report}", report);
        return report;
    }

    /// <summary>An ffmpeg left over from a crashed server keeps writing into .incoming; stop it before taking over.</summary>
    private bool KillStaleFfmpeg(string incoming)
    {
        var pidFile = Path.Combine(incoming, "ffmpeg.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)) return false;
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            if (!cmdline.Contains(incoming, StringComparison.Ordinal)) return false;
            using var p = Process.GetProcessById(pid);
            p.Kill();
            p.WaitForExit(5000);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
