using Argus.Core.Audit;
using Argus.Server.Security;

namespace Argus.Server.Api;

internal static class AuditExtensions
{
    /// <summary>Writes an audit entry attributed to the request's user and address.</summary>
    public static Task WriteAsync(this IAuditLog audit, HttpContext http, string action, string? camera, bool allowed, string? detail = null) =>
        audit.AppendAsync(Caller.From(http.User).Name, http.Connection.RemoteIpAddress?.ToString(), action, camera, allowed, detail);
}
