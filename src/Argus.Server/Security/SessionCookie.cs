using System.Security.Claims;
using Argus.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Argus.Server.Security;

/// <summary>
/// The console's session: an HttpOnly, SameSite=Strict cookie carrying a server-side session (a row in the token
/// table), so logout, a password or role change, or deleting the user ends it at once. Idle after 30 minutes,
/// at most 12 hours.
/// </summary>
public static class SessionCookie
{
    public const string SchemeName = "Cookies";
    public const string SmartScheme = "Argus";
    private const string SessionClaim = "argus:session";

    public static AuthenticationBuilder AddArgusAuthentication(this IServiceCollection services)
    {
        return services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            // Any Authorization header means an API client: it gets 401 on a bad token, never a login redirect.
            .AddPolicyScheme(SmartScheme, "Bearer token or console session", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Count > 0 ? BearerAuthentication.SchemeName : SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthentication>(BearerAuthentication.SchemeName, null)
            .AddCookie(SchemeName, o =>
            {
                o.Cookie.Name = "argus_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, 401);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, 403);
                o.Events.OnValidatePrincipal = ValidateAsync;
            });
    }

    /// <summary>API callers get a status and JSON, never a redirect to an HTML page.</summary>
    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api") && !ctx.Request.Path.StartsWithSegments("/metrics"))
        {
            ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        }
        ctx.Response.StatusCode = status;
        if (status == 401) ctx.Response.Headers.WWWAuthenticate = "Bearer";
        return ctx.Response.WriteAsJsonAsync(status == 401
            ? new { title = "Unauthorized", detail = "a valid bearer token is required (POST /api/auth/token)." }
            : new { title = "Forbidden", detail = "your role does not allow this." });
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var token = ctx.Principal?.FindFirstValue(SessionClaim);
        var tokens = ctx.HttpContext.RequestServices.GetRequiredService<TokenService>();
        var user = token is null ? null : await tokens.ValidateAsync(token, ctx.HttpContext.RequestAborted);
        if (user is null)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(SchemeName);
            return;
        }
        if (ctx.Principal!.FindFirstValue(ClaimTypes.Role) != user.Role) ctx.RejectPrincipal();
    }

    public static string? TokenOf(ClaimsPrincipal user) => user.FindFirstValue(SessionClaim);

    public static async Task SignInAsync(HttpContext http, User user, TokenService tokens)
    {
        var (token, expires) = await tokens.IssueAsync(user, http.RequestAborted);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role), new Claim(SessionClaim, token)],
            SchemeName);
        await http.SignInAsync(SchemeName, new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = expires, AllowRefresh = true });
    }

    public static async Task SignOutAsync(HttpContext http, TokenService tokens)
    {
        if (http.User.FindFirstValue(SessionClaim) is { } token) await tokens.RevokeAsync(token, http.RequestAborted);
        await http.SignOutAsync(SchemeName);
    }

    /// <summary>
    /// CSRF: a browser session may read the API but not change anything through it (changes go through the console's
    /// antiforgery-protected forms and its server-side circuit); and no session request may come from a foreign origin.
    /// </summary>
    public static IApplicationBuilder UseSessionCsrfGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var viaCookie = http.User.Identity is { IsAuthenticated: true, AuthenticationType: SchemeName };
        if (viaCookie && http.Request.Path.StartsWithSegments("/api"))
        {
            var origin = http.Request.Headers.Origin.ToString();
            var foreign = origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var o) && o.Authority == http.Request.Host.Value);
            var unsafeMethod = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
            if (foreign || unsafeMethod)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsJsonAsync(new { title = "Forbidden", detail = foreign
                    ? "cross-origin requests with a console session are refused."
                    : "changes through the API need a bearer token (POST /api/auth/token); the console session is read-only here." });
                return;
            }
        }
        await next(http);
    });
}
