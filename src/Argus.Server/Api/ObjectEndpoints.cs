using System.Globalization;
using System.Text;
using Argus.Analytics.Objects;
using Argus.Cluster;
using Argus.Cluster.Analysis;
using Argus.Core.Analysis;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Core.Time;
using Argus.Server.Security;

namespace Argus.Server.Api;

/// <summary>Counting lines, object rules (enter, leave, dwell, cross) and the counts they produce.</summary>
public static class ObjectEndpoints
{
    public sealed record SpeedRequest(string? ToLine, double? Meters);
    public sealed record LineRequest(string? Name, double[][]? Points, string[]? Classes, SpeedRequest? Speed);
    public sealed record LineDto(string Id, string Name, double[][] Points, IReadOnlyList<string> Classes, SpeedRequest? Speed)
    {
        public static LineDto From(CameraLine l) => new(l.Id, l.Name, [[l.A.X, l.A.Y], [l.B.X, l.B.Y]], l.Classes,
            l.SpeedTo is null ? null : new SpeedRequest(l.SpeedTo, l.DistanceMeters));
    }

    public sealed record ObjectRuleRequest(string? Name, string? Trigger, string? Zone, string? Line, string? Direction, string[]? Classes,
        double? DwellSeconds, bool? WhenArmed, bool? Enabled);
    public sealed record ObjectRuleDto(string Id, string Name, string Trigger, string? Zone, string? Line, string? Direction, IReadOnlyList<string> Classes,
        double? DwellSeconds, bool WhenArmed, bool Enabled)
    {
        public static ObjectRuleDto From(ObjectRule r) => new(r.Id, r.Name, ObjectRule.TriggerName(r.Trigger), r.Zone, r.Line, r.Direction, r.Classes,
            r.Trigger == ObjectTrigger.Dwell ? r.DwellSeconds : null, r.WhenArmed, r.Enabled);
    }

    public sealed record TrackedDto(long Track, string Class, double Score, double[] Box, bool Seen, bool Stationary);
    public sealed record ObjectsNowDto(DateTimeOffset? Time, IReadOnlyList<TrackedDto> Objects, IReadOnlyList<LineDto> Lines);

    public sealed record CountDto(DateTimeOffset Start, DateTimeOffset End, string Line, string Class, string Direction, int Count);

    public static void MapObjectEndpoints(this IEndpointRouteBuilder app)
    {
        MapLines(app.MapGroup("/api/cameras/{id}/lines").WithTags("Objects"));
        MapRules(app.MapGroup("/api/cameras/{id}/object-rules").WithTags("Objects"));

        // The live overlay (boxes and track ids over live video, for tuning): what the tracker holds now.
        app.MapGet("/api/cameras/{id}/objects", async (string id, AnalysisHost analysis, ILineStore lines, CancellationToken ct) =>
        {
            var frame = analysis.Get(id)?.Objects?.Latest;
            var list = frame?.Objects.Select(o => new TrackedDto(o.TrackId, o.Class, Math.Round(o.Score, 3),
                [Math.Round(o.Box.X, 4), Math.Round(o.Box.Y, 4), Math.Round(o.Box.Width, 4), Math.Round(o.Box.Height, 4)], o.Seen, o.Stationary)).ToList() ?? [];
            return Results.Ok(new ObjectsNowDto(frame?.Time, list, [.. (await lines.ListAsync(id, ct)).Select(LineDto.From)]));
        }).RequireCamera(CameraRights.Live).WithTags("Objects").WithSummary("The objects tracked on the camera now (boxes in 0..1, track ids), for a live overlay");

        app.MapGet("/api/detector", (DetectorHost detector) =>
        {
            var stats = detector.Service?.GetStats();
            return Results.Ok(new
            {
                status = detector.Service is null ? "unavailable" : "ready",
                error = detector.Error,
                model = detector.ModelPath is { } p ? Path.GetFileName(p) : null,
                layout = detector.Service?.Model?.Layout.ToString().ToLowerInvariant(),
                inputWidth = detector.Service?.Model?.InputWidth,
                inputHeight = detector.Service?.Model?.InputHeight,
                classes = detector.Service?.Model?.ClassCount,
                meanInferenceMs = stats is null ? (double?)null : Math.Round(stats.MeanInferenceMs, 2),
                dropped = stats?.Dropped,
            });
        }).RequireAuthorization(Policies.Investigate).WithTags("Objects").WithSummary("The object detector: model, layout and whether it loaded (with the reason if not)");

        app.MapGet("/api/counts", async (string? camera, string? line, string? from, string? to, string? interval, string? format, HttpContext http,
            CameraAccess access, IAuditLog audit, ICountStore counts, AnalysisHost analysis, TimeProvider clock, CancellationToken ct) =>
        {
            if (camera is null || !CameraId.IsValid(camera)) return Problems.BadRequest("camera is required (a camera id).");
            var decision = await access.CheckAsync(Caller.From(http.User), camera, CameraRights.Playback, ct);
            await audit.WriteAsync(http, AuditActions.Search, camera, decision.Allowed, $"counts line={line} from={from} to={to}");
            if (!decision.Allowed) return Problems.Forbidden($"not allowed on this camera: {decision.Reason}.");
            if (!TimeRange.TryParseBounds(from, to, out var f, out var t, out var error)) return Problems.BadRequest(error!);
            var end = t ?? clock.GetUtcNow();
            var start = f ?? end.AddHours(-24);
            if (end <= start) return Problems.BadRequest("'to' must be after 'from'.");
            if (end - start > TimeSpan.FromDays(366)) return Problems.BadRequest("at most one year at a time.");
            if (line is { Length: 0 or > CameraZone.MaxNameLength }) return Problems.BadRequest("line must be a line name.");
            var step = (interval ?? "1m").Trim().ToLowerInvariant() switch
            {
                "1m" => TimeSpan.FromMinutes(1),
                "15m" => TimeSpan.FromMinutes(15),
                "1h" => TimeSpan.FromHours(1),
                "1d" => TimeSpan.FromDays(1),
                _ => (TimeSpan?)null,
            };
            if (step is null) return Problems.BadRequest("interval must be 1m, 15m, 1h or 1d.");
            var minutes = (await counts.QueryAsync(camera, line, start, end, ct)).ToList();
            // The minute still being counted lives in the analyzer until it closes.
            if (analysis.Get(camera)?.PendingCounts() is { } pending)
                minutes.AddRange(pending.Where(p => (line is null || p.Line == line) && p.Start >= start && p.Start < end));
            var rows = Merge(minutes, step.Value);
            if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) || http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.Ordinal))
                return Results.Text(ToCsv(rows), "text/csv", Encoding.UTF8);
            return Results.Ok(rows);
        }).WithTags("Objects").WithSummary("Line counts per class and direction in 1m, 15m, 1h or 1d intervals (format=csv for CSV); intervals without crossings are left out");
    }

    /// <summary>Sums 1-minute buckets into intervals aligned to multiples of <paramref name="step"/> since the Unix epoch (UTC).</summary>
    internal static List<CountDto> Merge(IEnumerable<LineCount> minutes, TimeSpan step) =>
        [.. minutes
            .GroupBy(m => (Start: CountAggregator.Floor(m.Start, step), m.Line, m.Class, m.Direction))
            .Select(g => new CountDto(g.Key.Start, g.Key.Start + step, g.Key.Line, g.Key.Class, g.Key.Direction, g.Sum(m => m.Count)))
            .OrderBy(c => c.Start).ThenBy(c => c.Line, StringComparer.Ordinal).ThenBy(c => c.Class, StringComparer.Ordinal).ThenBy(c => c.Direction, StringComparer.Ordinal)];

    private static string ToCsv(IEnumerable<CountDto> rows)
    {
        var sb = new StringBuilder("start,end,line,class,direction,count\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Start:yyyy-MM-ddTHH:mm:ssZ},{r.End:yyyy-MM-ddTHH:mm:ssZ},{CsvField.Of(r.Line)},{r.Class},{r.Direction},{r.Count}\n");
        return sb.ToString();
    }

    private static void MapLines(RouteGroupBuilder g)
    {
        g.MapGet("/", async (string id, ICameraStore cameras, ILineStore lines, CancellationToken ct) =>
            await CameraEndpoints.Find(id, cameras, ct) is null ? Problems.NotFound("no such camera.")
            : Results.Ok((await lines.ListAsync(id, ct)).Select(LineDto.From)))
            .RequireAuthorization(Policies.Investigate).RequireCamera(CameraRights.None).WithSummary("Counting lines of a camera");

        g.MapPost("/", async (string id, LineRequest request, HttpContext http, ICameraStore cameras, ILineStore lines, IAuditLog audit,
            IGrainFactory grains, TimeProvider clock, DetectorHost detector, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null) return Problems.NotFound("no such camera.");
            if (NoDetector(detector) is { } unavailable) return unavailable;
            var existing = await lines.ListAsync(id, ct);
            if (existing.Count >= CameraLine.MaxPerCamera) return Problems.BadRequest($"a camera may have at most {CameraLine.MaxPerCamera} lines.");
            CameraLine line;
            try
            {
                var (a, b) = CameraLine.PointsFrom(request.Points);
                line = new CameraLine { Id = CameraId.New(), CameraId = id, Name = request.Name!, A = a, B = b, Classes = request.Classes ?? [],
                    SpeedTo = request.Speed?.ToLine, DistanceMeters = request.Speed?.Meters, CreatedAt = clock.GetUtcNow() }.Validate();
                CheckNames(line, existing);
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await lines.AddAsync(line, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.ZoneChange, id, true, $"add line '{line.Name}'");
            return Results.Created($"/api/cameras/{id}/lines/{line.Id}", LineDto.From(line));
        }).RequireAuthorization(Policies.Configure).WithSummary("Add a counting line (turns on detection of its classes)");

        g.MapPut("/{lineId}", async (string id, string lineId, LineRequest request, HttpContext http, ICameraStore cameras, ILineStore lines,
            IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null || await lines.GetAsync(id, lineId, ct) is not { } line) return Problems.NotFound("no such line.");
            try
            {
                if (request.Name is not null) line = line with { Name = request.Name };
                if (request.Points is not null) { var (a, b) = CameraLine.PointsFrom(request.Points); line = line with { A = a, B = b }; }
                if (request.Classes is not null) line = line with { Classes = request.Classes };
                if (request.Speed is not null) line = line with { SpeedTo = request.Speed.ToLine, DistanceMeters = request.Speed.Meters };
                line = line.Validate();
                CheckNames(line, (await lines.ListAsync(id, ct)).Where(l => l.Id != lineId).ToList());
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await lines.UpdateAsync(line, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.ZoneChange, id, true, $"change line '{line.Name}'");
            return Results.Ok(LineDto.From(line));
        }).RequireAuthorization(Policies.Configure).WithSummary("Change a line; only the fields given change");

        g.MapDelete("/{lineId}", async (string id, string lineId, HttpContext http, ILineStore lines, IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (!CameraId.IsValid(id) || await lines.GetAsync(id, lineId, ct) is not { } line) return Problems.NotFound("no such line.");
            await lines.DeleteAsync(id, lineId, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.ZoneChange, id, true, $"remove line '{line.Name}'");
            return Results.NoContent();
        }).RequireAuthorization(Policies.Configure).WithSummary("Remove a line (its counts stay)");
    }

    /// <summary>Lines and object rules need the detector: say why it is missing when the model did not load.</summary>
    private static IResult? NoDetector(DetectorHost detector) => detector.Service is null
        ? Problems.Conflict($"object detection is unavailable: {detector.Error}. Install a model (see the README) and restart, or start with --detector-model PATH.")
        : null;

    private static void CheckNames(CameraLine line, IReadOnlyList<CameraLine> others)
    {
        if (others.Any(l => string.Equals(l.Name, line.Name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"the camera already has a line named '{line.Name}'.");
        if (line.SpeedTo is { } to && !others.Any(l => string.Equals(l.Name, to, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"speed.toLine: the camera has no line named '{to}'; add it first.");
    }

    private static void MapRules(RouteGroupBuilder g)
    {
        g.MapGet("/", async (string id, ICameraStore cameras, IObjectRuleStore rules, CancellationToken ct) =>
            await CameraEndpoints.Find(id, cameras, ct) is null ? Problems.NotFound("no such camera.")
            : Results.Ok((await rules.ListAsync(id, ct)).Select(ObjectRuleDto.From)))
            .RequireAuthorization(Policies.Investigate).RequireCamera(CameraRights.None).WithSummary("Object rules of a camera");

        g.MapPost("/", async (string id, ObjectRuleRequest request, HttpContext http, ICameraStore cameras, IObjectRuleStore rules, IZoneStore zones,
            ILineStore lines, IAuditLog audit, IGrainFactory grains, DetectorHost detector, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null) return Problems.NotFound("no such camera.");
            if (NoDetector(detector) is { } unavailable) return unavailable;
            var existing = await rules.ListAsync(id, ct);
            if (existing.Count >= ObjectRule.MaxPerCamera) return Problems.BadRequest($"a camera may have at most {ObjectRule.MaxPerCamera} object rules.");
            ObjectRule rule;
            try
            {
                rule = new ObjectRule { Id = CameraId.New(), CameraId = id, Name = request.Name!, Trigger = ObjectRule.ParseTrigger(request.Trigger) };
                rule = Apply(rule, request).Validate(await zones.ListAsync(id, ct), await lines.ListAsync(id, ct));
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            if (existing.Any(r => string.Equals(r.Name, rule.Name, StringComparison.OrdinalIgnoreCase)))
                return Problems.BadRequest($"the camera already has an object rule named '{rule.Name}'.");
            await rules.AddAsync(rule, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.RuleChange, id, true, $"add object rule '{rule.Name}'");
            return Results.Created($"/api/cameras/{id}/object-rules/{rule.Id}", ObjectRuleDto.From(rule));
        }).RequireAuthorization(Policies.Configure).WithSummary("Add an object rule: enter/leave/dwell on a zone, cross on a line (turns on detection of its classes)");

        g.MapPut("/{ruleId}", async (string id, string ruleId, ObjectRuleRequest request, HttpContext http, ICameraStore cameras, IObjectRuleStore rules,
            IZoneStore zones, ILineStore lines, IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null || await rules.GetAsync(id, ruleId, ct) is not { } rule) return Problems.NotFound("no such rule.");
            try
            {
                // A rule changed to another kind drops what the old kind referred to.
                if (request.Trigger is not null && ObjectRule.ParseTrigger(request.Trigger) is var trigger && trigger != rule.Trigger)
                    rule = rule with { Trigger = trigger, Zone = null, Line = null, Direction = null };
                if (request.Name is not null) rule = rule with { Name = request.Name };
                rule = Apply(rule, request).Validate(await zones.ListAsync(id, ct), await lines.ListAsync(id, ct));
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            if ((await rules.ListAsync(id, ct)).Any(r => r.Id != ruleId && string.Equals(r.Name, rule.Name, StringComparison.OrdinalIgnoreCase)))
                return Problems.BadRequest($"the camera already has an object rule named '{rule.Name}'.");
            await rules.UpdateAsync(rule, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.RuleChange, id, true, $"change object rule '{rule.Name}'");
            return Results.Ok(ObjectRuleDto.From(rule));
        }).RequireAuthorization(Policies.Configure).WithSummary("Change an object rule; only the fields given change");

        g.MapDelete("/{ruleId}", async (string id, string ruleId, HttpContext http, IObjectRuleStore rules, IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (!CameraId.IsValid(id) || await rules.GetAsync(id, ruleId, ct) is not { } rule) return Problems.NotFound("no such rule.");
            await rules.DeleteAsync(id, ruleId, ct);
            await grains.GetGrain<ICameraGrain>(id).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.RuleChange, id, true, $"remove object rule '{rule.Name}'");
            return Results.NoContent();
        }).RequireAuthorization(Policies.Configure).WithSummary("Remove an object rule");
    }

    private static ObjectRule Apply(ObjectRule rule, ObjectRuleRequest r)
    {
        if (r.Zone is not null) rule = rule with { Zone = r.Zone };
        if (r.Line is not null) rule = rule with { Line = r.Line };
        if (r.Direction is not null) rule = rule with { Direction = r.Direction };
        if (r.Classes is not null) rule = rule with { Classes = r.Classes };
        if (r.DwellSeconds is { } d) rule = rule with { DwellSeconds = d };
        if (r.WhenArmed is { } w) rule = rule with { WhenArmed = w };
        if (r.Enabled is { } e) rule = rule with { Enabled = e };
        return rule;
    }
}
