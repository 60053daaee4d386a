using Argus.Analytics.Arming;
using Argus.Cluster;
using Argus.Core.Alarms;
using Argus.Core.Analysis;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Server.Security;

namespace Argus.Server.Api;

/// <summary>Schedules (time profiles), arming and alarm rules.</summary>
public static class AlarmEndpoints
{
    public sealed record ScheduleRequest(string? Name, string? TimeZone, string? Windows);
    public sealed record ScheduleDto(string Id, string Name, string TimeZone, string Windows, bool ActiveNow)
    {
        public static ScheduleDto From(TimeProfile p, DateTimeOffset now) => new(p.Id, p.Name, p.Zone.Id, p.Text, p.IsActive(now));
    }

    public sealed record ArmingRequest(string? Mode, string? Schedule, string[]? Cameras);
    public sealed record ArmingDto(string Camera, string Mode, string? Schedule, bool Armed, DateTimeOffset ChangedAt, string ChangedBy)
    {
        public static ArmingDto From(CameraArming a, bool armed) =>
            new(a.CameraId, CameraArming.ModeName(a.Mode), a.ProfileId, armed, a.ChangedAt, a.ChangedBy);
    }

    public sealed record RuleRequest(string? Name, string? Camera, string[]? Zones, double? MinSeconds, double? MinCoverage, bool? WhenArmed, bool? Enabled);
    public sealed record RuleDto(string Id, string Name, string Camera, IReadOnlyList<string> Zones, double MinSeconds, double MinCoverage, bool WhenArmed, bool Enabled)
    {
        public static RuleDto From(AlarmRule r) => new(r.Id, r.Name, r.CameraId, r.Zones, r.MinDuration.TotalSeconds, r.MinCoverage, r.WhenArmed, r.Enabled);
    }

    public static void MapAlarmEndpoints(this IEndpointRouteBuilder app)
    {
        MapSchedules(app.MapGroup("/api/schedules").WithTags("Arming"));
        MapArming(app);
        MapRules(app.MapGroup("/api/rules").WithTags("Rules"));
    }

    private static void MapSchedules(RouteGroupBuilder g)
    {
        g.MapGet("/", async (ITimeProfileStore profiles, TimeProvider clock, CancellationToken ct) =>
            Results.Ok((await profiles.ListAsync(ct)).Select(p => ScheduleDto.From(p, clock.GetUtcNow()))))
            .RequireAuthorization(Policies.Investigate).WithSummary("Time profiles for arming");

        g.MapPost("/", async (ScheduleRequest request, HttpContext http, ITimeProfileStore profiles, ArmingService arming, IAuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            TimeProfile profile;
            try { profile = Parse(CameraId.New(), request, null); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await profiles.AddAsync(profile, ct);
            await arming.ReloadProfilesAsync(ct);
            await audit.WriteAsync(http, AuditActions.ScheduleChange, null, true, $"add '{profile.Name}': {profile.Text}");
            return Results.Created($"/api/schedules/{profile.Id}", ScheduleDto.From(profile, clock.GetUtcNow()));
        }).RequireAuthorization(Policies.Configure)
          .WithSummary("Add a time profile: {\"name\":\"Closed\",\"timeZone\":\"Europe/Paris\",\"windows\":\"mon-sat 22:00-07:00; sun all day\"}");

        g.MapPut("/{scheduleId}", async (string scheduleId, ScheduleRequest request, HttpContext http, ITimeProfileStore profiles, ArmingService arming,
            IAuditLog audit, TimeProvider clock, CancellationToken ct) =>
        {
            if (await profiles.GetAsync(scheduleId, ct) is not { } existing) return Problems.NotFound("no such schedule.");
            TimeProfile profile;
            try { profile = Parse(scheduleId, request, existing); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await profiles.UpdateAsync(profile, ct);
            await arming.ReloadProfilesAsync(ct);
            await audit.WriteAsync(http, AuditActions.ScheduleChange, null, true, $"change '{profile.Name}': {profile.Text}");
            return Results.Ok(ScheduleDto.From(profile, clock.GetUtcNow()));
        }).RequireAuthorization(Policies.Configure).WithSummary("Change a time profile; only the fields given change");

        g.MapDelete("/{scheduleId}", async (string scheduleId, HttpContext http, ITimeProfileStore profiles, ArmingService arming, IAuditLog audit, CancellationToken ct) =>
        {
            if (await profiles.GetAsync(scheduleId, ct) is not { } existing) return Problems.NotFound("no such schedule.");
            if (arming.ProfileInUse(scheduleId))
                return Results.Problem(detail: "cameras are armed by this schedule; set their arming to another schedule or mode first.", statusCode: 409, title: "Conflict");
            await profiles.DeleteAsync(scheduleId, ct);
            await arming.ReloadProfilesAsync(ct);
            await audit.WriteAsync(http, AuditActions.ScheduleChange, null, true, $"remove '{existing.Name}'");
            return Results.NoContent();
        }).RequireAuthorization(Policies.Configure).WithSummary("Remove a time profile not in use");
    }

    private static TimeProfile Parse(string id, ScheduleRequest r, TimeProfile? existing)
    {
        var name = (r.Name ?? existing?.Name)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 80 || name.Any(char.IsControl)) throw new ArgumentException("name is required (at most 80 printable characters).");
        var zoneId = r.TimeZone ?? existing?.Zone.Id ?? "UTC";
        var windows = TimeProfile.ParseWindows(r.Windows ?? existing?.Text, zoneId);
        return new TimeProfile(id, name, windows[0].Zone, windows);
    }

    private static void MapArming(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/arming", async (ICameraStore cameras, ArmingService arming, CancellationToken ct) =>
            Results.Ok((await cameras.ListAsync(ct)).Select(c => ArmingDto.From(arming.Get(c.Id), arming.IsArmed(c.Id))))).RequireAuthorization(Policies.Investigate).WithTags("Arming").WithSummary("Arming of every camera");

        app.MapGet("/api/cameras/{id}/arming", async (string id, ICameraStore cameras, ArmingService arming, CancellationToken ct) =>
            await CameraEndpoints.Find(id, cameras, ct) is null ? Problems.NotFound("no such camera.") : Results.Ok(ArmingDto.From(arming.Get(id), arming.IsArmed(id))))
            .RequireAuthorization(Policies.Investigate).RequireCamera(CameraRights.None).WithTags("Arming").WithSummary("A camera's arming");

        app.MapPut("/api/cameras/{id}/arming", async (string id, ArmingRequest request, HttpContext http, ICameraStore cameras, ArmingService arming,
            IAuditLog audit, CancellationToken ct) =>
        {
            if (await CameraEndpoints.Find(id, cameras, ct) is null) return Problems.NotFound("no such camera.");
            return await SetAsync([id], request, http, arming, audit, ct);
        }).RequireAuthorization(Policies.Investigate).RequireCamera(CameraRights.None).WithTags("Arming")
          .WithSummary("Arm, disarm, or arm by schedule: {\"mode\":\"armed|disarmed|schedule\",\"schedule\":\"id\"}");

        app.MapPost("/api/arming", async (ArmingRequest request, HttpContext http, ICameraStore cameras, ArmingService arming, IAuditLog audit, CancellationToken ct) =>
        {
            var all = (await cameras.ListAsync(ct)).Select(c => c.Id).ToHashSet();
            var ids = request.Cameras is { Length: > 0 } list ? list : [.. all];
            if (ids.FirstOrDefault(i => !all.Contains(i)) is { } unknown) return Problems.BadRequest($"no camera with id '{unknown}'.");
            return await SetAsync(ids, request, http, arming, audit, ct);
        }).RequireAuthorization(Policies.Investigate).WithTags("Arming")
          .WithSummary("Arm or disarm many cameras at once (all when cameras is omitted): {\"mode\":\"armed\",\"cameras\":[...]}");
    }

    private static async Task<IResult> SetAsync(IReadOnlyList<string> ids, ArmingRequest request, HttpContext http, ArmingService arming, IAuditLog audit, CancellationToken ct)
    {
        ArmingMode mode;
        try { mode = CameraArming.ParseMode(request.Mode); }
        catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
        var results = new List<ArmingDto>();
        foreach (var id in ids)
        {
            try
            {
                var a = await arming.SetAsync(id, mode, request.Schedule, Caller.From(http.User).Name, ct);
                results.Add(ArmingDto.From(a, arming.IsArmed(id)));
            }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await audit.WriteAsync(http, AuditActions.Arm, id, true, $"mode={CameraArming.ModeName(mode)}{(request.Schedule is null ? "" : $" schedule={request.Schedule}")}");
        }
        return Results.Ok(ids.Count == 1 && http.Request.Method == "PUT" ? results[0] : results);
    }

    private static void MapRules(RouteGroupBuilder g)
    {
        g.MapGet("/", async (string? camera, IRuleStore rules, CancellationToken ct) =>
            Results.Ok((await rules.ListAsync(camera, ct)).Select(RuleDto.From)))
            .RequireAuthorization(Policies.Investigate).WithSummary("Alarm rules, optionally of one camera");

        g.MapPost("/", async (RuleRequest request, HttpContext http, IRuleStore rules, ICameraStore cameras, IZoneStore zones, IAuditLog audit,
            IGrainFactory grains, CancellationToken ct) =>
        {
            if (request.Camera is null || await CameraEndpoints.Find(request.Camera, cameras, ct) is null) return Problems.BadRequest("camera must name an existing camera.");
            AlarmRule rule;
            try { rule = await BuildAsync(new AlarmRule { Id = CameraId.New(), Name = request.Name ?? "", CameraId = request.Camera }, request, zones, ct); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await rules.AddAsync(rule, ct);
            await grains.GetGrain<ICameraGrain>(rule.CameraId).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.RuleChange, rule.CameraId, true, $"add '{rule.Name}'");
            return Results.Created($"/api/rules/{rule.Id}", RuleDto.From(rule));
        }).RequireAuthorization(Policies.Configure)
          .WithSummary("Add a rule: {\"name\":\"Intruder\",\"camera\":\"id\",\"zones\":[\"Shop floor\"],\"minSeconds\":1,\"whenArmed\":true}");

        g.MapPut("/{ruleId}", async (string ruleId, RuleRequest request, HttpContext http, IRuleStore rules, IZoneStore zones, IAuditLog audit,
            IGrainFactory grains, CancellationToken ct) =>
        {
            if (await rules.GetAsync(ruleId, ct) is not { } existing) return Problems.NotFound("no such rule.");
            if (request.Camera is not null && request.Camera != existing.CameraId) return Problems.BadRequest("a rule cannot move to another camera; add a new one.");
            AlarmRule rule;
            try { rule = await BuildAsync(existing with { Name = request.Name ?? existing.Name }, request, zones, ct); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            await rules.UpdateAsync(rule, ct);
            await grains.GetGrain<ICameraGrain>(rule.CameraId).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.RuleChange, rule.CameraId, true, $"change '{rule.Name}'");
            return Results.Ok(RuleDto.From(rule));
        }).RequireAuthorization(Policies.Configure).WithSummary("Change a rule; only the fields given change");

        g.MapDelete("/{ruleId}", async (string ruleId, HttpContext http, IRuleStore rules, IAuditLog audit, IGrainFactory grains, CancellationToken ct) =>
        {
            if (await rules.GetAsync(ruleId, ct) is not { } existing) return Problems.NotFound("no such rule.");
            await rules.DeleteAsync(ruleId, ct);
            await grains.GetGrain<ICameraGrain>(existing.CameraId).ApplyAsync();
            await audit.WriteAsync(http, AuditActions.RuleChange, existing.CameraId, true, $"remove '{existing.Name}'");
            return Results.NoContent();
        }).RequireAuthorization(Policies.Configure).WithSummary("Remove a rule");
    }

    private static async Task<AlarmRule> BuildAsync(AlarmRule rule, RuleRequest r, IZoneStore zones, CancellationToken ct)
    {
        if (r.MinSeconds is { } s && (!double.IsFinite(s) || s < 0 || s > 3600)) throw new ArgumentException("minSeconds must be between 0 and 3600.");
        rule = rule with
        {
            Zones = r.Zones ?? rule.Zones,
            MinDuration = r.MinSeconds is { } sec ? TimeSpan.FromSeconds(sec) : rule.MinDuration,
            MinCoverage = r.MinCoverage ?? rule.MinCoverage,
            WhenArmed = r.WhenArmed ?? rule.WhenArmed,
            Enabled = r.Enabled ?? rule.Enabled,
        };
        var names = (await zones.ListAsync(rule.CameraId, ct)).Where(z => z.Kind == ZoneKind.Zone).Select(z => z.Name).ToList();
        foreach (var zone in rule.Zones)
            if (!names.Contains(zone, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"the camera has no zone named '{zone}' (zones: {(names.Count == 0 ? "none" : string.Join(", ", names))}).");
        return rule.Validate();
    }
}
