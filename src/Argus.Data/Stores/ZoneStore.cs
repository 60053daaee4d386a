using System.Text.Json;
using Argus.Core.Analysis;
using Argus.Core.Geometry;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class ZoneStore(IDbContextFactory<ArgusDb> factory) : CameraScopedStore<ZoneRow, CameraZone>(factory), IZoneStore
{
    protected override IQueryable<ZoneRow> Ordered(IQueryable<ZoneRow> rows) => rows.OrderBy(z => z.CreatedAtMs).ThenBy(z => z.Id);
    protected override ZoneRow ToRow(CameraZone z) => new()
    {
        Id = z.Id, CameraId = z.CameraId, Name = z.Name, Kind = CameraZone.KindName(z.Kind),
        Points = JsonSerializer.Serialize(z.Polygon.ToArrays()), CreatedAtMs = ToMs(z.CreatedAt),
    };

    protected override CameraZone FromRow(ZoneRow r) => new(r.Id, r.CameraId, r.Name, CameraZone.ParseKind(r.Kind),
        Polygon.FromArrays(JsonSerializer.Deserialize<double[][]>(r.Points)), FromMs(r.CreatedAtMs));
}
