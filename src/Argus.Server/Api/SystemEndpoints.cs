using System.Reflection;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Media.Recording;
using Argus.Media.Storage;
using Argus.Core.Recording;
using Argus.Server.Security;
using Microsoft.AspNetCore.RateLimiting;

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

        app.MapPost("/api/auth/token", async (TokenRequest request, IUserStore users, TokenService tokens, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
        {
            var log = logs.CreateLogger("Argus.Auth");
            if (string.IsNullOrEmpty(request.User) || string.IsNullOrEmpty(request.Password) || request.User.Length > 100 || request.Password.Length > 1000)
                return Problems.BadRequest("user and password are required.");
            var found = await users.FindByNameAsync(request.User, ct);
            // Verify against a dummy hash when the user is unknown so timing does not reveal which names exist.
            var ok = PasswordHasher.Verify(request.Password, found?.PasswordHash ?? DummyHash.Value) && found is not null;
            if (!ok)
            {
                log.LogWarning("Login failed for {User} from {Address}", request.User, http.Connection.RemoteIpAddress);
                return Results.Problem(detail: "wrong user name or password.", statusCode: 401, title: "Unauthorized");
            }
            var (token, expires) = await tokens.IssueAsync(found!.Value.User, ct);
            log.LogInformation("Login of {User} from {Address}", request.User, http.Connection.RemoteIpAddress);
            return Results.Ok(new { token, expires });
        }).AllowAnonymous().RequireRateLimiting("login").WithTags("System").WithSummary("Exchange a user name and password for a bearer token");

        app.MapGet("/api/storage", async (RecordingLayout layout, IDiskSpace disk, ISegmentIndex index, CancellationToken ct) => Results.Ok(new
        {
            recordingsBytes = await index.TotalBytesAsync(ct),
            freeBytes = disk.FreeBytes(layout.Root),
            totalBytes = disk.TotalBytes(layout.Root),
        })).WithTags("System").WithSummary("Disk use of recordings");
    }

    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));
}
