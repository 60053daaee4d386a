using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Server.Security;

namespace Argus.Server.Api;

public sealed record GrantDto(string? Camera, string[]? Rights, GrantDto.ScheduleDto? Schedule)
{
    public sealed record ScheduleDto(string[]? Days, string? From, string? To, string? TimeZone)
    {
        public static ScheduleDto Of(AccessSchedule s) => new([.. s.DayCodes], s.FromText, s.ToText, s.Zone.Id);
    }

    public static GrantDto From(CameraGrant g) => new(g.CameraId, [.. CameraRightNames.ToNames(g.Rights)], g.Schedule is { } s ? ScheduleDto.Of(s) : null);

    /// <exception cref="ArgumentException">with a message for the caller.</exception>
    public CameraGrant ToGrant()
    {
        if (Camera is null || !CameraId.IsValid(Camera)) throw new ArgumentException($"'{Camera}' is not a camera id.");
        var schedule = Schedule is { } s ? AccessSchedule.Parse(s.Days, s.From, s.To, s.TimeZone) : null;
        return new CameraGrant(Camera, CameraRightNames.Parse(Rights), schedule);
    }
}

public static class UserEndpoints
{
    public sealed record UserRequest(string? Name, string? Password, string? Role);
    public sealed record UserDto(string Id, string Name, string Role, DateTimeOffset CreatedAt)
    {
        public static UserDto From(User u) => new(u.Id, u.Name, u.Role, u.CreatedAt);
    }

    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Configure);

        g.MapGet("/", async (IUserStore users, CancellationToken ct) => Results.Ok((await users.ListAsync(ct)).Select(UserDto.From)))
            .WithSummary("All users (admins only)");

        g.MapPost("/", async (UserRequest request, HttpContext http, IUserStore users, IAuditLog audit, CancellationToken ct) =>
        {
            var name = (request.Name ?? "").Trim();
            if (name.Length is 0 or > 100 || name.Any(char.IsControl)) return Problems.BadRequest("name is required (1-100 characters, no control characters).");
            if (PasswordHasher.Weakness(request.Password) is { } weak) return Problems.BadRequest(weak);
            if (request.Password!.Length > 1000) return Problems.BadRequest("password is longer than 1000 characters.");
            if (!Roles.All.Contains(request.Role)) return Problems.BadRequest("role must be admin, operator or viewer.");
            if (await users.FindByNameAsync(name, ct) is not null) return Results.Problem(detail: $"a user named '{name}' exists.", statusCode: 409, title: "Conflict");
            var user = await users.AddAsync(name, PasswordHasher.Hash(request.Password), request.Role!, ct);
            await audit.WriteAsync(http, AuditActions.UserAdd, null, true, $"user={name} role={user.Role}");
            return Results.Created($"/api/users/{user.Id}", new { id = user.Id });
        }).WithSummary("Create a user (admin, operator or viewer)");

        g.MapGet("/{id}", async (string id, IUserStore users, CancellationToken ct) =>
            await users.GetAsync(id, ct) is { } u ? Results.Ok(UserDto.From(u)) : Problems.NotFound("no such user."))
            .WithSummary("One user");

        g.MapPut("/{id}", async (string id, UserRequest request, HttpContext http, IUserStore users, IAuditLog audit, CameraAccess access, CancellationToken ct) =>
        {
            if (await users.GetAsync(id, ct) is not { } existing) return Problems.NotFound("no such user.");
            if (request.Role is not null && !Roles.All.Contains(request.Role)) return Problems.BadRequest("role must be admin, operator or viewer.");
            if (request.Password is not null && PasswordHasher.Weakness(request.Password) is { } weak) return Problems.BadRequest(weak);
            if (request.Name is not null && request.Name != existing.Name) return Problems.BadRequest("a user's name cannot be changed; create a new user.");
            if (existing.Id == Caller.From(http.User).Id && request.Role is not null && request.Role != Roles.Admin)
                return Problems.BadRequest("you cannot take the admin role from yourself.");
            var changed = await users.UpdateAsync(id, request.Role, request.Password is null ? null : PasswordHasher.Hash(request.Password), ct);
            access.Forget(id);
            await audit.WriteAsync(http, AuditActions.UserChange, null, true,
                $"user={existing.Name}" + (request.Role is null ? "" : $" role={request.Role}") + (request.Password is null ? "" : " password"));
            return Results.Ok(UserDto.From(changed!));
        }).WithSummary("Change a user's role or password (ends their sessions)");

        g.MapDelete("/{id}", async (string id, HttpContext http, IUserStore users, IAuditLog audit, CameraAccess access, CancellationToken ct) =>
        {
            if (await users.GetAsync(id, ct) is not { } existing) return Problems.NotFound("no such user.");
            if (existing.Id == Caller.From(http.User).Id) return Problems.BadRequest("you cannot delete yourself.");
            await users.DeleteAsync(id, ct);
            access.Forget(id);
            await audit.WriteAsync(http, AuditActions.UserRemove, null, true, $"user={existing.Name}");
            return Results.NoContent();
        }).WithSummary("Delete a user with their sessions and grants");

        g.MapGet("/{id}/grants", async (string id, IUserStore users, IGrantStore grants, CancellationToken ct) =>
            await users.GetAsync(id, ct) is null ? Problems.NotFound("no such user.") : Results.Ok((await grants.ForUserAsync(id, ct)).Select(GrantDto.From)))
            .WithSummary("A user's camera grants");

        g.MapPut("/{id}/grants", async (string id, GrantDto[]? request, HttpContext http, IUserStore users, IGrantStore grants, ICameraStore cameras,
            IAuditLog audit, CameraAccess access, CancellationToken ct) =>
        {
            if (await users.GetAsync(id, ct) is not { } user) return Problems.NotFound("no such user.");
            if (request is null) return Problems.BadRequest("the body must be a JSON array of grants.");
            if (request.Length > 10000) return Problems.BadRequest("at most 10000 grants.");
            var parsed = new List<CameraGrant>();
            foreach (var (dto, i) in request.Select((d, i) => (d, i)))
            {
                try { parsed.Add(dto?.ToGrant() ?? throw new ArgumentException("a grant is null.")); }
                catch (ArgumentException e) { return Problems.BadRequest($"grant {i}: {e.Message}"); }
                if (await cameras.GetAsync(parsed[^1].CameraId, ct) is null) return Problems.BadRequest($"grant {i}: no camera '{parsed[^1].CameraId}'.");
            }
            if (parsed.GroupBy(p => p.CameraId).FirstOrDefault(x => x.Count() > 1) is { } dup)
                return Problems.BadRequest($"camera {dup.Key} is granted twice; give one grant per camera.");
            await grants.ReplaceAsync(id, parsed, ct);
            access.Forget(id);
            await audit.WriteAsync(http, AuditActions.GrantChange, null, true,
                $"user={user.Name} grants=" + string.Join(";", parsed.Select(p => $"{p.CameraId}:{string.Join('+', CameraRightNames.ToNames(p.Rights))}{(p.Schedule is null ? "" : ":scheduled")}")));
            return Results.Ok(parsed.Select(GrantDto.From));
        }).WithSummary("Replace a user's camera grants: rights live/playback/export, optional weekly schedule in a time zone");
    }
}
