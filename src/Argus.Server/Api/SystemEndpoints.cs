using System.Reflection;
using Argus.Core.Audit;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Media.Recording;
using Argus.Media.Storage;
using Argus.Core.Recording;
using Argus.Server.Security;

namespace Argus.Server.Api;

public static class SystemEndpoints
{
    public sealed record TokenRequest(string? User, string? Password);

    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (RecorderHost recorders) => Results.Ok(new
        {
            status = "ok",
            version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString(),
            recording = recorders.Recording.Count,
            time = DateTimeOffset.UtcNow,
        })).AllowAnonymous().WithTags("System").WithSummary("Liveness; no authentication");

        app.MapPost("/api/auth/token", async (TokenRequest request, LoginService login, TokenService tokens, HttpContext http, CancellationToken ct) =>
        {
            var (outcome, user) = await login.LoginAsync(request.User, request.Password, http.Connection.RemoteIpAddress?.ToString(), "api", ct);
            switch (outcome)
            {
                case LoginService.Outcome.Invalid: return Problems.BadRequest("user and password are required.");
                case LoginService.Outcome.Throttled: return Results.Problem(detail: "too many login attempts; wait a minute.", statusCode: 429, title: "Too many requests");
                case LoginService.Outcome.Wrong: return Results.Problem(detail: "wrong user name or password.", statusCode: 401, title: "Unauthorized");
            }
            var (token, expires) = await tokens.IssueAsync(user!, ct);
            return Results.Ok(new { token, expires });
        }).AllowAnonymous().WithTags("System").WithSummary("Exchange a user name and password for a bearer token (10 attempts a minute per address)");

        app.MapDelete("/api/auth/token", async (HttpContext http, TokenService tokens, IAuditLog audit, CancellationToken ct) =>
        {
            if (BearerAuthentication.TokenFrom(http.Request) is not { } token) return Problems.BadRequest("send the token to revoke as the bearer token.");
            await tokens.RevokeAsync(token, ct);
            await audit.WriteAsync(http, AuditActions.Logout, null, true, "api");
            return Results.NoContent();
        }).WithTags("System").WithSummary("Revoke the bearer token used for this request (log out)");

        app.MapGet("/api/auth/me", async (HttpContext http, CameraAccess access, CancellationToken ct) =>
        {
            var caller = Caller.From(http.User);
            var grants = await access.GrantsAsync(caller, ct);
            return Results.Ok(new { id = caller.Id, name = caller.Name, role = caller.Role, allCameras = AccessPolicy.SeesAllCameras(caller.Role),
                grants = grants.Select(GrantDto.From) });
        }).WithTags("System").WithSummary("Who the caller is and what they may see");

        app.MapGet("/api/storage", async (RecordingLayout layout, IDiskSpace disk, ISegmentIndex index, CancellationToken ct) => Results.Ok(new
        {
            recordingsBytes = await index.TotalBytesAsync(ct),
            freeBytes = disk.FreeBytes(layout.Root),
            totalBytes = disk.TotalBytes(layout.Root),
        })).WithTags("System").WithSummary("Disk use of recordings");
    }

}
