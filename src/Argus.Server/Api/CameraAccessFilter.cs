using Argus.Core.Audit;
using Argus.Core.Security;
using Argus.Server.Security;

namespace Argus.Server.Api;

/// <summary>
/// Per-camera authorisation for every endpoint under /api/cameras/{id}: the check runs before the handler, so no
/// handler can forget it. Denials are audited; so are allowed media actions when the endpoint names one.
/// </summary>
internal static class CameraAccessFilter
{
    public static TBuilder RequireCamera<TBuilder>(this TBuilder builder, CameraRights needed, string? auditAction = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var id = http.GetRouteValue("id") as string ?? "";
            var access = http.RequestServices.GetRequiredService<CameraAccess>();
            var decision = await access.CheckAsync(Caller.From(http.User), id, needed, http.RequestAborted);
            var audit = http.RequestServices.GetRequiredService<IAuditLog>();
            if (!decision.Allowed)
            {
                await audit.WriteAsync(http, auditAction ?? $"{http.Request.Method} {http.Request.Path}", id, false, decision.Reason);
                return Problems.Forbidden($"not allowed on this camera: {decision.Reason}.");
            }
            if (auditAction is not null) await audit.WriteAsync(http, auditAction, id, true, Describe(http.Request.Query));
            return await next(context);
        });

    private static string? Describe(IQueryCollection query) =>
        query.Count == 0 ? null : string.Join(' ', query.Where(q => q.Key is "from" or "to").Select(q => $"{q.Key}={q.Value}"));
}
