using Argus.Cluster.Analysis;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Events;
using Argus.Core.Recording;
using Argus.Core.Security;
using Argus.Core.Time;
using Argus.Media.Export;
using Argus.Server.Events;
using Argus.Server.Hosting;
using Argus.Server.Security;

namespace Argus.Server.Api;

public static class EventEndpoints
{
    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", async (string? camera, string? type, string? zone, string? @class, string? line, string? from, string? to, int? limit, HttpContext http, IEventLog events,
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
            if (zone is { Length: 0 or > 60 }) return Problems.BadRequest("zone must be a zone name (1 to 60 characters).");
            if (line is { Length: 0 or > 60 }) return Problems.BadRequest("line must be a line name (1 to 60 characters).");
            if (@class is not null && Core.Objects.ObjectClasses.IdOf(@class) < 0) return Problems.BadRequest($"unknown object class '{@class}'.");
            var query = new EventQuery(camera, type, f, t, limit ?? 1000) { Zone = zone, Class = @class?.ToLowerInvariant(), Line = line };
            var list = (await events.QueryAsync(query, ct)).Where(e => Allowed(e.CameraId)).ToList();
            await audit.WriteAsync(http, AuditActions.Search, camera, true, $"events type={type} zone={zone} from={from} to={to} results={list.Count}");
            return Results.Ok(list.Select(EventDto.From));
        }).WithTags("Events").WithSummary("Events, oldest first; filter by camera, type (motion, alarm, camera.tamper, camera.offline, object.enter, object.leave, object.dwell, line.cross...), zone, class, line and time");

        app.MapGet("/api/events/{eventId:long}/snapshot", async (long eventId, HttpContext http, IEventLog events, CameraAccess access, IAuditLog audit,
            EventSnapshots snapshots, CancellationToken ct) =>
        {
            var (e, denied) = await AuthorizedEventAsync(eventId, CameraRights.Playback, AuditActions.Snapshot, http, events, access, audit, ct);
            if (e is null) return denied!;
            var path = snapshots.PathOf(e.CameraId!, e.Id);
            return e.HasSnapshot && File.Exists(path) ? Results.File(path, "image/jpeg") : Problems.NotFound("this event has no snapshot.");
        }).WithTags("Events").WithSummary("The picture when the event started (JPEG)");

        app.MapGet("/api/events/{eventId:long}/clip", async (long eventId, HttpContext http, IEventLog events, CameraAccess access, IAuditLog audit,
            ICameraStore cameras, ISegmentIndex index, ExportCache exports, TimeProvider clock, CancellationToken ct) =>
        {
            var (e, denied) = await AuthorizedEventAsync(eventId, CameraRights.Export, AuditActions.Export, http, events, access, audit, ct);
            if (e is null) return denied!;
            var settings = (await cameras.GetAsync(e.CameraId!, ct))?.Analysis ?? Core.Analysis.AnalysisSettings.Default;
            var end = (e.End ?? clock.GetUtcNow()) + TimeSpan.FromSeconds(settings.PostRollSeconds);
            var start = e.Start - TimeSpan.FromSeconds(settings.PreRollSeconds);
            if (end - start > ClipExporter.MaxLength) end = start + ClipExporter.MaxLength;
            // Segments are indexed when complete: right after an event its post-roll is still being recorded. Say so
            // rather than hand out (and cache) a clip cut short.
            var newest = await index.NewestAsync(e.CameraId!, ct);
            if (newest is not null && newest.End < end && clock.GetUtcNow() - end < RecordingWait)
            {
                http.Response.Headers.RetryAfter = "5";
                return Problems.Unavailable("the clip's end is still being recorded; try again in a few seconds.");
            }
            try
            {
                var result = await exports.GetOrCreateAsync(e.CameraId!, new TimeRange(start, end), ct);
                return Results.File(result.Path, "video/mp4", $"{e.CameraId}_{e.Type}_{e.Id}.mp4", enableRangeProcessing: true);
            }
            catch (NoRecordingException x) { return Problems.NotFound(x.Message); }
        }).WithTags("Events").WithSummary("The event's clip from the recordings, with pre- and post-roll (MP4)");
    }

    /// <summary>The event if the caller may have it (audited either way); otherwise the answer to give instead.</summary>
    private static async Task<(CameraEvent? Event, IResult? Denied)> AuthorizedEventAsync(long eventId, CameraRights right, string action,
        HttpContext http, IEventLog events, CameraAccess access, IAuditLog audit, CancellationToken ct)
    {
        var e = await events.GetAsync(eventId, ct);
        if (e?.CameraId is null) return (null, Problems.NotFound("no such event."));
        var decision = await access.CheckAsync(Caller.From(http.User), e.CameraId, right, ct);
        await audit.WriteAsync(http, action, e.CameraId, decision.Allowed, $"event={eventId}");
        return decision.Allowed ? (e, null) : (null, Problems.Forbidden($"not allowed on this camera: {decision.Reason}."));
    }

    /// <summary>How long after a clip's end its last segment may still be open (segment length plus margin).</summary>
    private static readonly TimeSpan RecordingWait = TimeSpan.FromSeconds(30);
}
