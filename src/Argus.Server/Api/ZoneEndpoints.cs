using Argus.Cluster;
using Argus.Core.Analysis;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Geometry;
using Argus.Core.Security;

namespace Argus.Server.Api;

/// <summary>Zones (named areas for rules), motion masks and privacy masks: polygons in 0..1 frame coordinates.</summary>
public static class ZoneEndpoints
{
    public sealed record ZoneRequest(string? Name, string? Kind, double[][]? Points);
    public sealed record ZoneDto(string Id, string Name, string Kind, double[][] Points)
    {
        public static ZoneDto From(CameraZone z) => new(z.Id, z.Name, CameraZone.KindName(z.Kind), z.Polygon.ToArrays());
    }

    public static void MapZoneEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/cameras/{id}/zones").WithTags("Zones");

        g.MapGet("/", async (string id, ICameraStore cameras, IZoneStore zones, CancellationToken ct) =>
            await CameraEndpoints.Find(id, cameras, ct) is null ? Problems.NotFound("no such camera.")
            : Results.Ok((await zones.ListAsync(id, ct)).Select(ZoneDto.From)))
            .RequireAuthorization(Policies.Investigate).RequireCamera(CameraRights.None).WithSummary("Zones and masks of a camera");

        g.MapPost("/", async (string id, ZoneRequest request, HttpContext http, ICameraStore cameras, IZoneStore zones, IAuditLog audit,
            IGrainFactory grains, TimeProvider clock, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null) return Problems.NotFound("no such camera.");
            var existing = await zones.ListAsync(id, ct);
            if (existing.Count >= CameraZone.MaxPerCamera) return Problems.BadRequest($"a camera may have at most {CameraZone.MaxPerCamera} zones and masks.");
            CameraZone zone;
            try { zone = new CameraZone(CameraId.New(), id, CameraZone.ValidateName(request.Name), CameraZone.ParseKind(request.Kind), Polygon.FromArrays(request.Points), clock.GetUtcNow()); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            if (existing.Any(z => string.Equals(z.Name, zone.Name, StringComparison.OrdinalIgnoreCase)))
                return Problems.BadRequest($"the camera already has a zone or mask named '{zone.Name}'.");
            await zones.AddAsync(zone, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.ZoneChange, id, true, $"add {CameraZone.KindName(zone.Kind)} '{zone.Name}'");
            return Results.Created($"/api/cameras/{id}/zones/{zone.Id}", ZoneDto.From(zone));
        }).RequireAuthorization(Policies.Configure).WithSummary("Add a zone (kind zone), motion mask (mask) or privacy mask (privacy)");

        g.MapPut("/{zoneId}", async (string id, string zoneId, ZoneRequest request, HttpContext http, ICameraStore cameras, IZoneStore zones,
            IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null || await zones.GetAsync(id, zoneId, ct) is not { } zone) return Problems.NotFound("no such zone.");
            try
            {
                if (request.Name is not null) zone = zone with { Name = CameraZone.ValidateName(request.Name) };
                if (request.Kind is not null) zone = zone with { Kind = CameraZone.ParseKind(request.Kind) };
                if (request.Points is not null) zone = zone with { Polygon = Polygon.FromArrays(request.Points) };
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            var others = (await zones.ListAsync(id, ct)).Where(z => z.Id != zoneId);
            if (others.Any(z => string.Equals(z.Name, zone.Name, StringComparison.OrdinalIgnoreCase)))
                return Problems.BadRequest($"the camera already has a zone or mask named '{zone.Name}'.");
            await zones.UpdateAsync(zone, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.ZoneChange, id, true, $"change {CameraZone.KindName(zone.Kind)} '{zone.Name}'");
            return Results.Ok(ZoneDto.From(zone));
        }).RequireAuthorization(Policies.Configure).WithSummary("Change a zone or mask; only the fields given change");

        g.MapDelete("/{zoneId}", async (string id, string zoneId, HttpContext http, IZoneStore zones, IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (!CameraId.IsValid(id) || await zones.GetAsync(id, zoneId, ct) is not { } zone) return Problems.NotFound("no such zone.");
            await zones.DeleteAsync(id, zoneId, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.ZoneChange, id, true, $"remove {CameraZone.KindName(zone.Kind)} '{zone.Name}'");
            return Results.NoContent();
        }).RequireAuthorization(Policies.Configure).WithSummary("Remove a zone or mask");
    }
}
