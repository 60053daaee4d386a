using Argus.Core.Recording;
using Argus.Core.Time;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class SegmentIndex(IDbContextFactory<ArgusDb> factory) : ISegmentIndex
{
    public async Task<long> AddAsync(Segment segment, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // Every camera adds one every 10 s: a plain INSERT skips EF's change tracking and update pipeline, which
        // cost as much as validating the segment (docs/benchmarks.md).
        long start = ToMs(segment.Start), end = ToMs(segment.End);
        var ids = await db.Database.SqlQuery<long>(
            $"""INSERT INTO "Segments" ("CameraId", "StartMs", "EndMs", "Bytes", "Path") VALUES ({segment.CameraId}, {start}, {end}, {segment.Bytes}, {segment.Path}) RETURNING "Id" AS "Value" """)
            .ToListAsync(ct);
        return ids.Single();
    }

    public async Task<IReadOnlyList<Segment>> ListAsync(string cameraId, TimeRange range, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        long from = ToMs(range.Start), to = ToMs(range.End);
        var rows = await db.Segments.AsNoTracking()
            .Where(s => s.CameraId == cameraId && s.StartMs < to && s.EndMs > from)
            .OrderBy(s => s.StartMs).ToListAsync(ct);
        return rows.Select(ToSegment).ToList();
    }

    public async Task<IReadOnlyList<string>> AllPathsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Segments.AsNoTracking().Select(s => s.Path).ToListAsync(ct);
    }

    public async Task RemoveAsync(IEnumerable<long> ids, CancellationToken ct = default)
    {
        var list = ids.ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var chunk in list.Chunk(500))
            await db.Segments.Where(s => chunk.Contains(s.Id)).ExecuteDeleteAsync(ct);
    }

    public async Task RemoveByPathsAsync(IEnumerable<string> paths, CancellationToken ct = default)
    {
        var list = paths.ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var chunk in list.Chunk(500))
            await db.Segments.Where(s => chunk.Contains(s.Path)).ExecuteDeleteAsync(ct);
    }

    public async Task<IReadOnlyList<Segment>> OldestAsync(string? cameraId, DateTimeOffset? endsBefore, int skip, int limit, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var q = db.Segments.AsNoTracking();
        if (cameraId is not null) q = q.Where(s => s.CameraId == cameraId);
        if (endsBefore is { } t)
        {
            var ms = ToMs(t);
            q = q.Where(s => s.EndMs <= ms);
        }
        var rows = await q.OrderBy(s => s.StartMs).ThenBy(s => s.Id).Skip(skip).Take(limit).ToListAsync(ct);
        return rows.Select(ToSegment).ToList();
    }

    public async Task<long> TotalBytesAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Segments.SumAsync(s => (long?)s.Bytes, ct) ?? 0;
    }

    public async Task<DateTimeOffset?> LatestEndAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ms = await db.Segments.MaxAsync(s => (long?)s.EndMs, ct);
        return ms is { } v ? FromMs(v) : null;
    }

    public async Task<bool> HasCameraAsync(string cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Segments.AnyAsync(s => s.CameraId == cameraId, ct);
    }

    public async Task<Segment?> GetAsync(string cameraId, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.CameraId == cameraId, ct);
        return row is null ? null : ToSegment(row);
    }

    public async Task<Segment?> NewestAsync(string cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Segments.AsNoTracking().Where(s => s.CameraId == cameraId).OrderByDescending(s => s.StartMs).FirstOrDefaultAsync(ct);
        return row is null ? null : ToSegment(row);
    }

    private static Segment ToSegment(SegmentRow r) => new(r.Id, r.CameraId, FromMs(r.StartMs), FromMs(r.EndMs), r.Bytes, r.Path);
}
