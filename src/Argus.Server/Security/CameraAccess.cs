using System.Collections.Concurrent;
using System.Security.Claims;
using Argus.Core.Security;

namespace Argus.Server.Security;

/// <summary>The signed-in user as the API sees them.</summary>
public readonly record struct Caller(string Id, string Name, string Role)
{
    public static Caller From(ClaimsPrincipal p) => new(
        p.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", p.Identity?.Name ?? "?", p.FindFirstValue(ClaimTypes.Role) ?? "");
}

/// <summary>
/// Applies <see cref="AccessPolicy"/> for a caller: loads their grants (cached a few seconds, dropped at once when an
/// admin changes them) and the access clock. Every media and data endpoint and the console ask here.
/// </summary>
public sealed class CameraAccess(IGrantStore grants, AccessClock clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<CameraGrant> Grants, DateTime At)> _cache = new();

    public DateTimeOffset Now => clock.Now();

    public async Task<IReadOnlyList<CameraGrant>> GrantsAsync(Caller caller, CancellationToken ct)
    {
        if (AccessPolicy.SeesAllCameras(caller.Role)) return [];
        if (_cache.TryGetValue(caller.Id, out var hit) && DateTime.UtcNow - hit.At < CacheFor) return hit.Grants;
        var loaded = await grants.ForUserAsync(caller.Id, ct);
        _cache[caller.Id] = (loaded, DateTime.UtcNow);
        return loaded;
    }

    public void Forget(string userId) => _cache.TryRemove(userId, out _);

    public async Task<AccessDecision> CheckAsync(Caller caller, string cameraId, CameraRights needed, CancellationToken ct) =>
        AccessPolicy.Check(caller.Role, await GrantsAsync(caller, ct), cameraId, needed, clock.Now());
}
