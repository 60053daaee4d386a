using System.Text.Json;
using Argus.Core.Analysis;
using Argus.Core.Geometry;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class ZoneStore(IDbContextFactory<ArgusDb> factory) : IZoneStore
{
    public async Task<IReadOnlyList<CameraZone>> ListAsync(string cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Zones.AsNoTracking().Where(z => z.CameraId == cameraId).OrderBy(z => z.CreatedAtMs).ThenBy(z => z.Id).ToListAsync(ct);
        return rows.Select(ToZone).ToList();
    }

    public async Task<CameraZone?> GetAsync(string cameraId, string zoneId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Zones.AsNoTracking().FirstOrDefaultAsync(z => z.Id == zoneId && z.CameraId == cameraId, ct);
        return row is null ? null : ToZone(row);
    }

    public async Task AddAsync(CameraZone zone, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Zones.Add(ToRow(zone));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> UpdateAsync(CameraZone zone, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Zones.FirstOrDefaultAsync(z => z.Id == zone.Id && z.CameraId == zone.CameraId, ct);
        if (row is null) return false;
        db.Entry(row).CurrentValues.SetValues(ToRow(zone));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(string cameraId, string zoneId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Zones.Where(z => z.Id == zoneId && z.CameraId == cameraId).ExecuteDeleteAsync(ct) > 0;
    }

    private static ZoneRow ToRow(CameraZone z) => new()
    {
        Id = z.Id, CameraId = z.CameraId, Name = z.Name, Kind = CameraZone.KindName(z.Kind),
        Points = JsonSerializer.Serialize(z.Polygon.ToArrays()), CreatedAtMs = ToMs(z.CreatedAt),
    };

    private static CameraZone ToZone(ZoneRow r) => new(r.Id, r.CameraId, r.Name, CameraZone.ParseKind(r.Kind),
        Polygon.FromArrays(JsonSerializer.Deserialize<double[][]>(r.Points)), FromMs(r.CreatedAtMs));
}
