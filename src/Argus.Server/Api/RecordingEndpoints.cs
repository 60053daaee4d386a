using System.Security.Claims;
using Argus.Core.Cameras;
using Argus.Core.Audit;
using Argus.Core.Recording;
using Argus.Core.Security;
using Argus.Core.Time;
using Argus.Core.Privacy;
using Argus.Media.Privacy;
using Argus.Media.Export;
using Argus.Media.Recording;
using Argus.Server.Hosting;

namespace Argus.Server.Api;

public static class RecordingEndpoints
{
    public sealed record RecordingDto(long Id, DateTimeOffset Start, DateTimeOffset End, long Bytes);
    public sealed record LockRequest(string? From, string? To, string? Reason);

    public static void MapRecordingEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/cameras/{id}").WithTags("Recordings");

        g.MapGet("/recordings", async (string id, string? from, string? to, ICameraStore store, ISegmentIndex index, CancellationToken ct) =>
        {
            if (!await Exists(id, store, index, ct)) return Problems.NotFound("no such camera.");
            if (!TimeRange.TryParse(from, to, out var range, out var error)) return Problems.BadRequest(error!);
            var segments = await index.ListAsync(id, range, ct);
            return Results.Ok(segments.Select(s => new RecordingDto(s.Id, s.Start, s.End, s.Bytes)));
        }).RequireCamera(CameraRights.Playback, AuditActions.Playback).WithSummary("Recorded segments overlapping [from, to)");

        // The player fetches segments one by one; the listing before it is what the audit log records as playback.
        g.MapGet("/recordings/{segment:long}", async (string id, long segment, ISegmentIndex index, RecordingLayout layout, ICameraPrivacy privacy,
            MaskedPlayback masked, CancellationToken ct) =>
        {
            if (!CameraId.IsValid(id) || await index.GetAsync(id, segment, ct) is not { } s) return Problems.NotFound("no such recording.");
            var path = layout.FullPath(s.Path);
            if (!File.Exists(path))
                return Problems.NotFound("the recording's file is gone (retention may have removed it).");
            // A camera with privacy masks never has its recording served as stored.
            if (PrivacyMask.From((await privacy.ForCameraAsync(id, ct)).Masks) is { } mask)
                path = await masked.GetAsync(id, s.Id, path, mask, ct);
            return Results.File(path, "video/mp4", enableRangeProcessing: true);
        }).RequireCamera(CameraRights.Playback).WithSummary("One recorded segment as fragmented MP4, for players (privacy masks applied); supports range requests");

        g.MapGet("/clip", async (string id, string? from, string? to, ICameraStore store, ISegmentIndex index, ExportCache exports, CancellationToken ct) =>
        {
            if (!await Exists(id, store, index, ct)) return Problems.NotFound("no such camera.");
            if (!TimeRange.TryParse(from, to, out var range, out var error)) return Problems.BadRequest(error!);
            if (range.Duration > ClipExporter.MaxLength) return Problems.BadRequest($"a clip is at most {ClipExporter.MaxLength.TotalHours:0} hours.");
            try
            {
                var result = await exports.GetOrCreateAsync(id, range, ct);
                var name = $"{id}_{result.Start.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}_{(int)(result.End - result.Start).TotalSeconds}s.mp4";
                return Results.File(result.Path, "video/mp4", name, enableRangeProcessing: true);
            }
            catch (NoRecordingException e) { return Problems.NotFound(e.Message); }
        }).RequireCamera(CameraRights.Export, AuditActions.Export).WithSummary("[from, to) as one MP4 (stream copy, cut at keyframes); supports range requests");

        g.MapGet("/locks", async (string id, ICameraStore store, IEvidenceLocks locks, ISegmentIndex index, CancellationToken ct) =>
            await Exists(id, store, index, ct) ? Results.Ok(await locks.ListAsync(id, ct)) : Problems.NotFound("no such camera."))
            .RequireCamera(CameraRights.Playback).WithSummary("Evidence locks of a camera");

        g.MapPost("/locks", async (string id, LockRequest request, HttpContext http, ClaimsPrincipal user, ICameraStore store, IEvidenceLocks locks,
            ISegmentIndex index, IAuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            if (!await Exists(id, store, index, ct)) return Problems.NotFound("no such camera.");
            if (!TimeRange.TryParse(request.From, request.To, out var range, out var error)) return Problems.BadRequest(error!);
            var reason = (request.Reason ?? "").Trim();
            if (reason.Length is 0 or > 500) return Problems.BadRequest("reason is required (at most 500 characters).");
            var l = new EvidenceLock(0, id, range.Start, range.End, reason, user.Identity?.Name ?? "?", clock.GetUtcNow());
            var lockId = await locks.AddAsync(l, ct);
            await audit.WriteAsync(http, AuditActions.LockAdd, id, true, $"lock={lockId} from={range.Start:O} to={range.End:O}");
            return Results.Created($"/api/cameras/{id}/locks/{lockId}", l with { Id = lockId });
        }).RequireAuthorization(Policies.Investigate).WithSummary("Lock a time range against retention (admins, operators)");

        g.MapDelete("/locks/{lockId:long}", async (string id, long lockId, HttpContext http, IEvidenceLocks locks, IAuditLog audit, CancellationToken ct) =>
        {
            if (!CameraId.IsValid(id) || !await locks.RemoveAsync(id, lockId, ct)) return Problems.NotFound("no such lock.");
            await audit.WriteAsync(http, AuditActions.LockRemove, id, true, $"lock={lockId}");
            return Results.NoContent();
        }).RequireAuthorization(Policies.Investigate).WithSummary("Release an evidence lock (admins, operators)");
    }

    /// <summary>A deleted camera's recordings remain reachable until retention removes them.</summary>
    private static async Task<bool> Exists(string id, ICameraStore store, ISegmentIndex index, CancellationToken ct) =>
        CameraId.IsValid(id) && (await store.GetAsync(id, ct) is not null || await index.HasCameraAsync(id, ct));
}
