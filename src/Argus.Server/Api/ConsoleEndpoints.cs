using System.Text.Json;
using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Media.Ffmpeg;
using Argus.Server.Security;
using Microsoft.Extensions.Options;

namespace Argus.Server.Api;

/// <summary>What the console needs beyond the camera API: connection tests, saved grid views, logout.</summary>
public static class ConsoleEndpoints
{
    public sealed record TestRequest(string? MainUrl, string? Username, string? Password, string? Transport);

    public static void MapConsoleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cameras/test", async (TestRequest request, IOptions<FfmpegOptions> ffmpeg, CancellationToken ct) =>
        {
            SourceUrl source;
            try { source = SourceUrl.Parse(request.MainUrl ?? throw new ArgumentException("mainUrl is required."), request.Username, request.Password); }
            catch (ArgumentException e) { return Problems.BadRequest(e.Message); }
            var transport = request.Transport?.ToLowerInvariant() == "udp" ? RtspTransport.Udp : RtspTransport.Tcp;
            try
            {
                var frame = await FrameGrab.GrabAsync(ffmpeg.Value.FfmpegPath, source, transport, TimeSpan.FromSeconds(15), ct);
                return Results.Ok(new { jpeg = Convert.ToBase64String(frame.Jpeg), width = frame.Width, height = frame.Height, codec = frame.Codec });
            }
            catch (SourceException e) { return Results.Problem(detail: $"could not read the source: {e.Message}", statusCode: 422, title: "Source unreadable"); }
        }).RequireAuthorization(Policies.Configure).WithTags("Cameras").WithSummary("Connect to a source once and return one frame (JPEG, base64) before saving a camera");

        app.MapGet("/api/views", async (HttpContext http, IViewStore views, CancellationToken ct) =>
            Results.Content(await views.GetAsync(Caller.From(http.User).Id, ct) ?? "[]", "application/json"))
            .WithTags("Console").WithSummary("The caller's saved grid views");

        app.MapPut("/api/views", async (HttpContext http, JsonElement body, IViewStore views, CancellationToken ct) =>
        {
            if (body.ValueKind != JsonValueKind.Array || body.GetArrayLength() > 100) return Problems.BadRequest("views must be a JSON array of at most 100 views.");
            var json = body.GetRawText();
            if (json.Length > 64 * 1024) return Problems.BadRequest("views are limited to 64 KB.");
            await views.SetAsync(Caller.From(http.User).Id, json, ct);
            return Results.NoContent();
        }).WithTags("Console").WithSummary("Replace the caller's saved grid views");

        // A form post with the console's antiforgery token (validated by UseAntiforgery for form-bound endpoints).
        app.MapPost("/logout", async (HttpContext http, IFormCollection _, TokenService tokens, Argus.Core.Audit.IAuditLog audit) =>
        {
            await audit.WriteAsync(http, Argus.Core.Audit.AuditActions.Logout, null, true, "console");
            await SessionCookie.SignOutAsync(http, tokens);
            return Results.Redirect("/login");
        }).ExcludeFromDescription();
    }
}
