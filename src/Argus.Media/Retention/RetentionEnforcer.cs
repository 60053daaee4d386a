using Argus.Core.Cameras;
using Argus.Core.Recording;
using Argus.Media.Recording;
using Argus.Media.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Argus.Media.Retention;

public sealed record RetentionResult(int DeletedByAge, int DeletedForSpace, long BytesFreed, bool SpaceCritical);

/// <summary>Deletes recordings by per-camera age, then oldest-first for the quota and free space; never evidence-locked ones.</summary>
public sealed class RetentionEnforcer(
    RecordingLayout layout,
    ISegmentIndex index,
    IEvidenceLocks locks,
    ICameraStore cameras,
    IDiskSpace disk,
    IOptions<RetentionOptions> options,
    StorageGate storage,
    RecordingMetrics metrics,
    TimeProvider clock,
    ILogger<RetentionEnforcer> log)
{
    private const int Batch = 200;

    public async Task<RetentionResult> RunAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var allLocks = await locks.ListAsync(null, ct);
        var now = clock.GetUtcNow();
        int byAge = 0, forSpace = 0;
        long freed = 0;

        foreach (var camera in await cameras.ListAsync(ct))
        {
            if (camera.RetentionMaxAge is not { } maxAge) continue;
            var cutoff = now - maxAge;
            var (count, bytes) = await DeleteOldestAsync(camera.Id, cutoff, allLocks, () => true, ct);
            byAge += count;
            freed += bytes;
        }

        // Oldest first across all cameras until both the quota and the free-space floor hold.
        // 'pending' counts bytes chosen in the current page but not yet deleted, so a page does not overshoot.
        long total = await index.TotalBytesAsync(ct), pending = 0;
        var (spaceCount, spaceBytes) = await DeleteOldestAsync(null, null, allLocks, () => NeededBytes(total, pending, o) > 0, ct,
            s => { total -= s.Bytes; pending += s.Bytes; }, () => pending = 0);
        forSpace += spaceCount;
        freed += spaceBytes;

        var free = disk.FreeBytes(layout.Root);
        var critical = free < o.CriticalFreeBytes;
        // Hysteresis: recording resumes once there is room for a while, not at the first freed byte.
        if (critical)
            storage.Close($"recording suspended: {free >> 20} MB free on the recordings disk and nothing left to delete (evidence locks)");
        else if (storage.IsClosed && free >= o.CriticalFreeBytes + (o.CriticalFreeBytes / 2))
            storage.Open();
        if (byAge + forSpace > 0)
            log.LogInformation("Retention deleted {Age} segment(s) by age and {Space} for space, {MB:0.0} MB freed", byAge, forSpace, freed / 1e6);
        if (critical)
            log.LogError("Free space on {Root} is below {Critical} MB and nothing more can be deleted", layout.Root, o.CriticalFreeBytes >> 20);
        return new RetentionResult(byAge, forSpace, freed, critical);
    }

    /// <summary>Deletes oldest unlocked segments one page at a time while <paramref name="more"/> holds; locked ones are paged past.</summary>
    private async Task<(int Count, long Bytes)> DeleteOldestAsync(string? cameraId, DateTimeOffset? endsBefore, IReadOnlyList<EvidenceLock> allLocks,
        Func<bool> more, CancellationToken ct, Action<Segment>? onChosen = null, Action? onPageDeleted = null)
    {
        int count = 0, skip = 0;
        long bytes = 0;
        while (more())
        {
            var page = await index.OldestAsync(cameraId, endsBefore, skip, Batch, ct);
            if (page.Count == 0) break;
            var take = new List<Segment>();
            foreach (var s in page)
            {
                if (IsLocked(s, allLocks)) { skip++; continue; }
                take.Add(s);
                onChosen?.Invoke(s);
                if (!more()) break;
            }
            if (take.Count > 0)
            {
                bytes += await DeleteAsync(take, ct);
                count += take.Count;
                onPageDeleted?.Invoke();
            }
        }
        return (count, bytes);
    }

    /// <summary>Cheap check (one statvfs) used between full runs, so a fast-filling disk does not wait for the interval.</summary>
    public bool BelowMinimumFree() => disk.FreeBytes(layout.Root) < options.Value.MinFreeBytes;

    private long NeededBytes(long total, long pending, RetentionOptions o)
    {
        long overQuota = o.QuotaBytes is { } q ? total - q : 0;
        long underFree = o.MinFreeBytes - disk.FreeBytes(layout.Root) - pending;
        return Math.Max(overQuota, underFree);
    }

    private static bool IsLocked(Segment s, IReadOnlyList<EvidenceLock> locks) =>
        locks.Any(l => l.CameraId == s.CameraId && s.Start < l.To && l.From < s.End);

    private async Task<long> DeleteAsync(IReadOnlyList<Segment> segments, CancellationToken ct)
    {
        long bytes = 0;
        foreach (var s in segments)
        {
            var path = layout.FullPath(s.Path);
            try
            {
                if (File.Exists(path)) { File.Delete(path); bytes += s.Bytes; }
                RemoveEmptyParents(Path.GetDirectoryName(path)!);
            }
            catch (IOException e) { log.LogWarning("Retention could not delete {Path}: {Error}", s.Path, e.Message); }
        }
        await index.RemoveAsync(segments.Select(s => s.Id), ct);
        metrics.Deleted(segments.Count);
        return bytes;
    }

    private void RemoveEmptyParents(string dir)
    {
        // hour and date folders only; never the camera folder itself
        for (var i = 0; i < 2 && dir.StartsWith(layout.Root, StringComparison.Ordinal); i++)
        {
            if (Directory.EnumerateFileSystemEntries(dir).Any()) return;
            Directory.Delete(dir);
            dir = Path.GetDirectoryName(dir)!;
        }
    }
}
