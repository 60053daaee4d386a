using Argus.Core.Cameras;
using Argus.Core.Audit;
using Argus.Core.Events;
using Argus.Core.Security;
using Argus.Server.Security;
using Argus.Core.Time;

namespace Argus.Server.Api;

public static class EventEndpoints
{
    public sealed record EventDto(long Id, string? Camera, string Type, DateTimeOffset Start, DateTimeOffset? End, string? Detail);

    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", async (string? camera, string? type, string? from, string? to, int? limit, HttpContext http, IEventLog events,
            CameraAccess access, IAuditLog audit, CancellationToken ct) =>
        {
            if (camera is not null && !CameraId.IsValid(camera)) return Problems.BadRequest("camera is not a valid camera id.");
            // Events are part of a camera's history: a viewer needs playback on the camera, now.
            var caller = Caller.From(http.User);
            var grants = await access.GrantsAsync(caller, ct);
            var now = access.Now;
            bool Allowed(string? cam) => AccessPolicy.SeesAllCameras(caller.Role)
                || (cam is not null && AccessPolicy.Check(caller.Role, grants, cam, CameraRights.Playback, now).Allowed);
            if (camera is not null && !Allowed(camera))
            {
                await audit.WriteAsync(http, AuditActions.Search, camera, false, "events");
                return Problems.Forbidden("not allowed on this camera.");
            }
            if (!TimeRange.TryParseBounds(from, to, out var f, out var t, out var error)) return Problems.BadRequest(error!);
            if (f is not null && t is not null && t <= f) return Problems.BadRequest("'to' must be after 'from'.");
            if (limit is < 1 or > 10000) return Problems.BadRequest("limit must be between 1 and 10000.");
            var list = (await events.QueryAsync(new EventQuery(camera, type, f, t, limit ?? 1000), ct)).Where(e => Allowed(e.CameraId)).ToList();
            await audit.WriteAsync(http, AuditActions.Search, camera, true, $"events type={type} from={from} to={to} results={list.Count}");
            return Results.Ok(list.Select(e => new EventDto(e.Id, e.CameraId, e.Type, e.Start, e.End, e.Detail)));
        }).WithTags("Events").WithSummary("Events, oldest first; filter by camera, type and time");
    }
}
