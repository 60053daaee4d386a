using Argus.Analytics.Arming;
using Argus.Core.Analysis;
using Argus.Core.Events;
using Argus.Core.Recording;
using Argus.Media.Live;
using Microsoft.Extensions.Logging;

namespace Argus.Cluster.Analysis;

/// <summary>What every camera's analyzer shares.</summary>
public sealed record AnalysisServices(IEventLog Events, IEventPublisher Publisher, EventSnapshots Snapshots, ArmingService Arming,
    TimeProvider Clock, ILoggerFactory Logs, string FfmpegPath)
{
    /// <summary>Where object counts are stored.</summary>
    public ICountStore Counts { get; init; } = NoCounts.Instance;
    /// <summary>The shared object detector, when its model loaded.</summary>
    public DetectorHost Detector { get; init; } = DetectorHost.Unavailable("no detector configured");
}

internal sealed class NoCounts : ICountStore
{
    public static readonly NoCounts Instance = new();
    public Task AddAsync(IReadOnlyList<LineCount> minutes, CancellationToken ct = default) => Task.CompletedTask;
    public Task<IReadOnlyList<LineCount>> QueryAsync(string cameraId, string? line, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<LineCount>>([]);
    public Task<int> DeleteCameraAsync(string cameraId, CancellationToken ct = default) => Task.FromResult(0);
}

/// <summary>Event snapshots: the camera's picture when the event started, as data/events/CAMERA/EVENT.jpg.</summary>
public sealed class EventSnapshots(SnapshotMaker snapshots, string root, ILogger<EventSnapshots> log)
{
    public string PathOf(string cameraId, long eventId) => Path.Combine(root, cameraId, $"{eventId}.jpg");

    public async Task<string?> SaveAsync(string cameraId, long eventId)
    {
        try
        {
            if (await snapshots.GetAsync(cameraId) is not { } snap) return null;
            var path = PathOf(cameraId, eventId);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, snap.Jpeg);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Camera {Camera}: event {Event} snapshot not saved: {Error}", cameraId, eventId, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Retention for snapshots: an event's picture goes with the recordings it illustrates, so each camera's snapshots
    /// older than its oldest recording are deleted (all older than <paramref name="orphanAge"/> when none are left).
    /// </summary>
    public async Task<int> PruneAsync(ISegmentIndex index, TimeSpan orphanAge, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!Directory.Exists(root)) return 0;
        var n = 0;
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var oldest = await index.OldestAsync(Path.GetFileName(dir), null, 0, 1, ct);
            var cutoff = oldest.Count > 0 ? oldest[0].Start : now - orphanAge;
            foreach (var file in Directory.EnumerateFiles(dir, "*.jpg"))
            {
                if (File.GetLastWriteTimeUtc(file) >= cutoff.UtcDateTime) continue;
                try { File.Delete(file); n++; }
                catch (IOException) { }
            }
        }
        return n;
    }
}
