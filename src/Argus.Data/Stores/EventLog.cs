using Argus.Core.Events;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class EventLog(IDbContextFactory<ArgusDb> factory) : IEventLog
{
    public async Task<long> AddAsync(string? cameraId, string type, DateTimeOffset start, DateTimeOffset? end, string? detail = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = new EventRow { CameraId = cameraId, Type = type, StartMs = ToMs(start), EndMs = end is { } e ? ToMs(e) : null, Detail = detail };
        db.Events.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task<long> AddAsync(CameraEvent e, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = new EventRow { CameraId = e.CameraId, Type = e.Type, StartMs = ToMs(e.Start) };
        Apply(row, e);
        db.Events.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task UpdateAsync(CameraEvent e, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Events.FirstOrDefaultAsync(r => r.Id == e.Id, ct);
        if (row is null) return;
        Apply(row, e);
        await db.SaveChangesAsync(ct);
    }

    public async Task<CameraEvent?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Events.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row is null ? null : ToEvent(row);
    }

    public async Task<int> CloseAbandonedAsync(IReadOnlyCollection<string> types, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Events.Where(e => e.EndMs == null && types.Contains(e.Type)).ExecuteUpdateAsync(u => u.SetProperty(e => e.EndMs, e => e.StartMs), ct);
    }

    private static void Apply(EventRow row, CameraEvent e)
    {
        row.EndMs = e.End is { } end ? ToMs(end) : null;
        row.Detail = e.Detail;
        row.Zones = e.Zones.Count == 0 ? null : "," + string.Join(',', e.Zones) + ",";
        row.PeakArea = e.PeakArea;
        row.Rule = e.Rule;
        row.Snapshot = e.HasSnapshot ? true : null;
        row.Class = e.ObjectClass;
        row.Track = e.TrackId;
        row.Line = e.Line;
        row.Direction = e.Direction;
        row.SpeedKmh = e.SpeedKmh;
        row.Score = e.Score;
    }

    public async Task CloseAsync(long id, DateTimeOffset end, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ms = ToMs(end);
        await db.Events.Where(e => e.Id == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.EndMs, ms), ct);
    }

    public async Task<CameraEvent?> FindOpenAsync(string cameraId, string type, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Events.AsNoTracking()
            .Where(e => e.CameraId == cameraId && e.Type == type && e.EndMs == null)
            .OrderByDescending(e => e.StartMs).FirstOrDefaultAsync(ct);
        return row is null ? null : ToEvent(row);
    }

    public async Task<IReadOnlyList<CameraEvent>> QueryAsync(EventQuery query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var q = db.Events.AsNoTracking();
        if (query.CameraId is not null) q = q.Where(e => e.CameraId == query.CameraId);
        if (query.Type is not null) q = q.Where(e => e.Type == query.Type);
        if (query.Zone is not null)
        {
            var escaped = query.Zone.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
            var pattern = "%," + escaped + ",%";
            q = q.Where(e => e.Zones != null && EF.Functions.Like(e.Zones, pattern, "\\"));
        }
        if (query.Class is not null) q = q.Where(e => e.Class == query.Class);
        if (query.Line is not null) q = q.Where(e => e.Line == query.Line);
        if (query.From is { } f)
        {
            var ms = ToMs(f);
            q = q.Where(e => e.EndMs == null || e.EndMs >= ms);
        }
        if (query.To is { } t)
        {
            var ms = ToMs(t);
            q = q.Where(e => e.StartMs < ms);
        }
        var rows = await q.OrderBy(e => e.StartMs).ThenBy(e => e.Id).Take(query.Limit).ToListAsync(ct);
        return rows.Select(ToEvent).ToList();
    }

    private static CameraEvent ToEvent(EventRow r) => new(r.Id, r.CameraId, r.Type, FromMs(r.StartMs), r.EndMs is { } e ? FromMs(e) : null, r.Detail)
    {
        Zones = r.Zones is null ? [] : r.Zones.Split(',', StringSplitOptions.RemoveEmptyEntries),
        PeakArea = r.PeakArea,
        Rule = r.Rule,
        HasSnapshot = r.Snapshot == true,
        ObjectClass = r.Class,
        TrackId = r.Track,
        Line = r.Line,
        Direction = r.Direction,
        SpeedKmh = r.SpeedKmh,
        Score = r.Score,
    };
}
