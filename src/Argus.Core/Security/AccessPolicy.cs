namespace Argus.Core.Security;

public readonly record struct AccessDecision(bool Allowed, string Reason)
{
    public static AccessDecision Allow(string why) => new(true, why);
    public static AccessDecision Deny(string why) => new(false, why);
}

/// <summary>
/// Who may do what with a camera. Admins and operators reach every camera; a viewer reaches only the cameras granted
/// to them, with the granted rights, inside the grant's schedule. The one place this is decided, for API and console alike.
/// </summary>
public static class AccessPolicy
{
    public static bool SeesAllCameras(string role) => role is Roles.Admin or Roles.Operator;

    public static AccessDecision Check(string role, IReadOnlyList<CameraGrant> grants, string cameraId, CameraRights needed, DateTimeOffset now)
    {
        if (SeesAllCameras(role)) return AccessDecision.Allow(role);
        if (role != Roles.Viewer) return AccessDecision.Deny($"unknown role '{role}'");
        var grant = grants.FirstOrDefault(g => g.CameraId == cameraId);
        if (grant is null) return AccessDecision.Deny("no grant on this camera");
        if (needed == CameraRights.None) return AccessDecision.Allow("visible"); // seeing the camera itself: any grant, any time
        if ((grant.Rights & needed) != needed) return AccessDecision.Deny($"grant does not include {string.Join("+", CameraRightNames.ToNames(needed & ~grant.Rights))}");
        if (grant.Schedule is { } s && !s.IsOpen(now)) return AccessDecision.Deny("outside the grant's schedule");
        return AccessDecision.Allow("grant");
    }

    /// <summary>Whether the camera appears to this user at all (a viewer sees granted cameras, even outside their window).</summary>
    public static bool CanSee(string role, IReadOnlyList<CameraGrant> grants, string cameraId) =>
        Check(role, grants, cameraId, CameraRights.None, default).Allowed;
}
