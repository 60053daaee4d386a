using System.Text.Json;
using Argus.Core.Analysis;
using Argus.Core.Geometry;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class LineStore(IDbContextFactory<ArgusDb> factory) : CameraScopedStore<LineRow, CameraLine>(factory), ILineStore
{
    protected override IQueryable<LineRow> Ordered(IQueryable<LineRow> rows) => rows.OrderBy(l => l.CreatedAtMs).ThenBy(l => l.Id);
    protected override LineRow ToRow(CameraLine l) => new()
    {
        Id = l.Id, CameraId = l.CameraId, Name = l.Name, Points = JsonSerializer.Serialize(new[] { new[] { l.A.X, l.A.Y }, new[] { l.B.X, l.B.Y } }),
        Classes = JsonSerializer.Serialize(l.Classes), SpeedTo = l.SpeedTo, DistanceMeters = l.DistanceMeters, CreatedAtMs = ToMs(l.CreatedAt),
    };

    protected override CameraLine FromRow(LineRow r)
    {
        var p = JsonSerializer.Deserialize<double[][]>(r.Points)!;
        return new CameraLine
        {
            Id = r.Id, CameraId = r.CameraId, Name = r.Name, A = new NormPoint(p[0][0], p[0][1]), B = new NormPoint(p[1][0], p[1][1]),
            Classes = JsonSerializer.Deserialize<string[]>(r.Classes) ?? [], SpeedTo = r.SpeedTo, DistanceMeters = r.DistanceMeters, CreatedAt = FromMs(r.CreatedAtMs),
        };
    }
}

public sealed class ObjectRuleStore(IDbContextFactory<ArgusDb> factory) : CameraScopedStore<ObjectRuleRow, ObjectRule>(factory), IObjectRuleStore
{
    protected override IQueryable<ObjectRuleRow> Ordered(IQueryable<ObjectRuleRow> rows) => rows.OrderBy(r => r.Name).ThenBy(r => r.Id);
    protected override ObjectRuleRow ToRow(ObjectRule r) => new()
    {
        Id = r.Id, CameraId = r.CameraId, Name = r.Name, Trigger = ObjectRule.TriggerName(r.Trigger), Zone = r.Zone, Line = r.Line,
        Direction = r.Direction, Classes = JsonSerializer.Serialize(r.Classes), DwellSeconds = r.DwellSeconds, WhenArmed = r.WhenArmed, Enabled = r.Enabled,
    };

    protected override ObjectRule FromRow(ObjectRuleRow r) => new()
    {
        Id = r.Id, CameraId = r.CameraId, Name = r.Name, Trigger = ObjectRule.ParseTrigger(r.Trigger), Zone = r.Zone, Line = r.Line,
        Direction = r.Direction, Classes = JsonSerializer.Deserialize<string[]>(r.Classes) ?? [], DwellSeconds = r.DwellSeconds,
        WhenArmed = r.WhenArmed, Enabled = r.Enabled,
    };
}

public sealed class CountStore(IDbContextFactory<ArgusDb> factory) : ICountStore
{
    public async Task AddAsync(IReadOnlyList<LineCount> minutes, CancellationToken ct = default)
    {
        if (minutes.Count == 0) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var m in minutes)
        {
            var start = ToMs(m.Start);
            // A bucket may come twice (a restart mid-minute): add to it rather than lose either part.
            var row = await db.LineCounts.FirstOrDefaultAsync(r => r.CameraId == m.CameraId && r.Line == m.Line && r.StartMs == start
                && r.Class == m.Class && r.Direction == m.Direction, ct);
            if (row is null) db.LineCounts.Add(new LineCountRow { CameraId = m.CameraId, Line = m.Line, Class = m.Class, Direction = m.Direction, StartMs = start, Count = m.Count });
            else row.Count += m.Count;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<LineCount>> QueryAsync(string cameraId, string? line, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        long f = ToMs(from), t = ToMs(to);
        var q = db.LineCounts.AsNoTracking().Where(r => r.CameraId == cameraId && r.StartMs >= f && r.StartMs < t);
        if (line is not null) q = q.Where(r => r.Line == line);
        var rows = await q.OrderBy(r => r.StartMs).ThenBy(r => r.Line).ThenBy(r => r.Class).ThenBy(r => r.Direction).ToListAsync(ct);
        return rows.Select(r => new LineCount(r.CameraId, r.Line, r.Class, r.Direction, FromMs(r.StartMs), FromMs(r.StartMs + 60_000), r.Count)).ToList();
    }

    public async Task<int> DeleteCameraAsync(string cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.LineCounts.Where(r => r.CameraId == cameraId).ExecuteDeleteAsync(ct);
    }
}
