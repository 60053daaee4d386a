using System.Globalization;
using System.Text;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Time;

namespace Argus.Server.Api;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", async (string? from, string? to, string? user, string? camera, string? action, int? limit, string? format,
            HttpContext http, IAuditLog audit, CancellationToken ct) =>
        {
            if (!TimeRange.TryParseBounds(from, to, out var f, out var t, out var error)) return Problems.BadRequest(error!);
            if (camera is not null && !CameraId.IsValid(camera)) return Problems.BadRequest("camera is not a valid camera id.");
            if (limit is < 1 or > 100000) return Problems.BadRequest("limit must be between 1 and 100000.");
            if (format is not (null or "json" or "csv")) return Problems.BadRequest("format must be json or csv.");
            var entries = await audit.QueryAsync(new AuditQuery(f, t, user, camera, action, limit ?? 5000), ct);
            await audit.WriteAsync(http, AuditActions.AuditRead, camera, true, $"entries={entries.Count}");
            if (format == "csv") return Results.File(Encoding.UTF8.GetBytes(ToCsv(entries)), "text/csv", "argus-audit.csv");
            return Results.Ok(entries.Select(e => new { seq = e.Seq, at = e.At, user = e.User, address = e.Address, action = e.Action, camera = e.Camera, allowed = e.Allowed, detail = e.Detail }));
        }).RequireAuthorization(Policies.Configure).WithTags("Audit").WithSummary("The audit log, oldest first (admins only); format=csv to export");
    }

    internal static string ToCsv(IEnumerable<AuditEntry> entries)
    {
        var sb = new StringBuilder("seq,at,user,address,action,camera,allowed,detail\n");
        foreach (var e in entries)
            sb.AppendJoin(',', e.Seq.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                CsvField.Of(e.User), CsvField.Of(e.Address), CsvField.Of(e.Action), CsvField.Of(e.Camera), e.Allowed ? "true" : "false", CsvField.Of(e.Detail)).Append('\n');
        return sb.ToString();
    }
}
