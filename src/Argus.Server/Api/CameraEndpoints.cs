using Argus.Cluster;
using Argus.Core.Alarms;
using Argus.Core.Analysis;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Recording;
using Argus.Core.Security;
using Argus.Media.Recording;
using Argus.Server.Security;

namespace Argus.Server.Api;

public static class CameraEndpoints
{
    public static void MapCameraEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/cameras").WithTags("Cameras");

        g.MapGet("/", async (HttpContext http, ICameraStore store, IGrainFactory grains, CameraAccess access, CancellationToken ct) =>
        {
            var caller = Caller.From(http.User);
            var grants = await access.GrantsAsync(caller, ct);
            var cameras = (await store.ListAsync(ct)).Where(c => AccessPolicy.CanSee(caller.Role, grants, c.Id)).ToList();
            var statuses = await Task.WhenAll(cameras.Select(c => grains.GetGrain<ICameraGrain>(c.Id).GetStatusAsync()));
            if (AccessPolicy.SeesAllCameras(caller.Role)) return Results.Ok(cameras.Zip(statuses, CameraDto.From));
            // Viewers learn nothing of a camera's source; they see what they may do and whether their window is open.
            return Results.Ok(cameras.Zip(statuses, (c, s) => SharedCameraDto.From(c, s, grants.First(x => x.CameraId == c.Id), access.Now)));
        }).WithSummary("List the cameras the caller may see, with their health (viewers: only granted cameras, without sources)");

        g.MapGet("/{id}", async (string id, HttpContext http, ICameraStore store, IGrainFactory grains, CameraAccess access, CancellationToken ct) =>
        {
            if (await Find(id, store, ct) is not { } c) return Problems.NotFound("no such camera.");
            var status = await grains.GetGrain<ICameraGrain>(id).GetStatusAsync();
            var caller = Caller.From(http.User);
            if (AccessPolicy.SeesAllCameras(caller.Role)) return Results.Ok(CameraDto.From(c, status));
            var grants = await access.GrantsAsync(caller, ct);
            return Results.Ok(SharedCameraDto.From(c, status, grants.First(x => x.CameraId == id), access.Now));
        }).RequireCamera(CameraRights.None).WithSummary("One camera with its health");

        g.MapPost("/", async (CameraRequest request, HttpContext http, IAuditLog audit, ICameraStore store, IGrainFactory grains, TimeProvider clock, ILoggerFactory logs, CancellationToken ct) =>
        {
            CameraConfig camera;
            try { camera = request.ToNew(clock.GetUtcNow()); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.AddAsync(camera, ct);
            await grains.GetGrain<ICameraGrain>(camera.Id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.CameraAdd, camera.Id, true, $"name={camera.Name}");
            logs.CreateLogger("Argus.Api").LogInformation("Camera {Camera} '{Name}' added ({Url})", camera.Id, camera.Name, camera.Main.Address);
            return Results.Created($"/api/cameras/{camera.Id}", new { id = camera.Id });
        }).RequireAuthorization(Policies.Configure).WithSummary("Add a camera; recording starts at once unless paused");

        g.MapPut("/{id}", async (string id, CameraRequest request, HttpContext http, IAuditLog audit, ICameraStore store, IGrainFactory grains, CancellationToken ct) =>
        {
            if (await Find(id, store, ct) is not { } existing) return Problems.NotFound("no such camera.");
            CameraConfig changed;
            try { changed = request.ApplyTo(existing); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await store.UpdateAsync(changed, ct);
            var grain = grains.GetGrain<ICameraGrain>(id);
            await grain.ApplyAsync();
            await audit.WriteAsync(http, AuditActions.CameraChange, id, true, request.Describe());
            return Results.Ok(CameraDto.From(changed, await grain.GetStatusAsync()));
        }).RequireAuthorization(Policies.Configure).WithSummary("Change a camera; only the fields given change");

        g.MapPost("/{id}/pause", (string id, HttpContext http, IAuditLog audit, ICameraStore store, IGrainFactory grains, CancellationToken ct) => SetPaused(id, true, http, audit, store, grains, ct))
            .RequireAuthorization(Policies.Configure).WithSummary("Stop recording a camera");
        g.MapPost("/{id}/resume", (string id, HttpContext http, IAuditLog audit, ICameraStore store, IGrainFactory grains, CancellationToken ct) => SetPaused(id, false, http, audit, store, grains, ct))
            .RequireAuthorization(Policies.Configure).WithSummary("Resume recording a camera");

        g.MapDelete("/{id}", async (string id, bool? deleteRecordings, HttpContext http, IAuditLog audit, ICameraStore store, IGrainFactory grains, ISegmentIndex index,
            RecordingLayout layout, IZoneStore zones, IRuleStore rules, ILineStore lines, IObjectRuleStore objectRules, CancellationToken ct) =>
        {
            if (await Find(id, store, ct) is null) return Problems.NotFound("no such camera.");
            await store.DeleteAsync(id, ct);
            // Its zones and rules mean nothing without it (events stay: they are part of its history).
            foreach (var rule in await rules.ListAsync(id, ct)) await rules.DeleteAsync(rule.Id, ct);
            foreach (var rule in await objectRules.ListAsync(id, ct)) await objectRules.DeleteAsync(id, rule.Id, ct);
            foreach (var line in await lines.ListAsync(id, ct)) await lines.DeleteAsync(id, line.Id, ct);
            foreach (var zone in await zones.ListAsync(id, ct)) await zones.DeleteAsync(id, zone.Id, ct);
            await grains.GetGrain<ICameraGrain>(id).RemoveAsync();
            if (deleteRecordings == true)
            {
                var all = await index.ListAsync(id, new Core.Time.TimeRange(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), ct);
                await index.RemoveAsync(all.Select(s => s.Id), ct);
                var dir = layout.CameraDir(id);
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            await audit.WriteAsync(http, AuditActions.CameraRemove, id, true, deleteRecordings == true ? "with recordings" : null);
            return Results.NoContent();
        }).RequireAuthorization(Policies.Configure)
          .WithSummary("Remove a camera; its recordings stay (for retention to age out) unless deleteRecordings=true");
    }

    /// <summary>Ids are generated by Argus; anything else (including traversal attempts) is simply not found.</summary>
    internal static async Task<CameraConfig?> Find(string id, ICameraStore store, CancellationToken ct) =>
        CameraId.IsValid(id) ? await store.GetAsync(id, ct) : null;

    private static async Task<IResult> SetPaused(string id, bool paused, HttpContext http, IAuditLog audit, ICameraStore store, IGrainFactory grains, CancellationToken ct)
    {
        if (await Find(id, store, ct) is not { } c) return Problems.NotFound("no such camera.");
        await store.UpdateAsync(c with { Paused = paused }, ct);
        var grain = grains.GetGrain<ICameraGrain>(id);
        await grain.ApplyAsync();
        await audit.WriteAsync(http, AuditActions.CameraChange, id, true, paused ? "paused" : "resumed");
        return Results.Ok(CameraDto.From(c with { Paused = paused }, await grain.GetStatusAsync()));
    }
}

public static class Policies
{
    public const string Configure = "configure";
    public static readonly string[] ConfigureRoles = [Roles.Admin];
    /// <summary>Evidence work (locks): admins and operators.</summary>
    public const string Investigate = "investigate";
    public static readonly string[] InvestigateRoles = [Roles.Admin, Roles.Operator];
}
