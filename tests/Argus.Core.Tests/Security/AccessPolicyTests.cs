using Argus.Core.Security;

namespace Argus.Core.Tests.Security;

public sealed class AccessPolicyTests
{
    private static readonly DateTimeOffset Wednesday10 = new(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly AccessSchedule SchoolDays = AccessSchedule.Parse(["mon", "tue", "wed", "thu", "fri"], "08:00", "17:00", "Asia/Shanghai");
    private static readonly CameraGrant[] ParentGrants = [new("classroom3", CameraRights.Live, SchoolDays)];

    [Fact]
    public void Parent_watches_classroom_3_live_in_school_hours_and_nothing_else()
    {
        Assert.True(AccessPolicy.Check(Roles.Viewer, ParentGrants, "classroom3", CameraRights.Live, Wednesday10).Allowed);
        Assert.False(AccessPolicy.Check(Roles.Viewer, ParentGrants, "classroom3", CameraRights.Playback, Wednesday10).Allowed);
        Assert.False(AccessPolicy.Check(Roles.Viewer, ParentGrants, "classroom3", CameraRights.Export, Wednesday10).Allowed);
        Assert.False(AccessPolicy.Check(Roles.Viewer, ParentGrants, "classroom4", CameraRights.Live, Wednesday10).Allowed);
        Assert.False(AccessPolicy.Check(Roles.Viewer, ParentGrants, "classroom3", CameraRights.Live, Wednesday10.AddHours(8)).Allowed);
        Assert.Contains("schedule", AccessPolicy.Check(Roles.Viewer, ParentGrants, "classroom3", CameraRights.Live, Wednesday10.AddHours(8)).Reason);
    }

    [Fact]
    public void Staff_roles_reach_every_camera_and_unknown_roles_nothing()
    {
        Assert.True(AccessPolicy.Check(Roles.Operator, [], "any", CameraRights.All, Wednesday10).Allowed);
        Assert.True(AccessPolicy.Check(Roles.Admin, [], "any", CameraRights.Export, Wednesday10).Allowed);
        Assert.False(AccessPolicy.Check("guest", ParentGrants, "classroom3", CameraRights.Live, Wednesday10).Allowed);
    }

    [Fact]
    public void A_viewer_sees_granted_cameras_even_outside_the_window_but_no_others()
    {
        Assert.True(AccessPolicy.CanSee(Roles.Viewer, ParentGrants, "classroom3"));
        Assert.False(AccessPolicy.CanSee(Roles.Viewer, ParentGrants, "office"));
    }

    [Fact]
    public void Rights_parse_and_reject_unknown_names()
    {
        Assert.Equal(CameraRights.Live | CameraRights.Export, CameraRightNames.Parse(["live", "EXPORT"]));
        Assert.Throws<ArgumentException>(() => CameraRightNames.Parse(["live", "delete"]));
        Assert.Throws<ArgumentException>(() => CameraRightNames.Parse([]));
        Assert.Equal(["live", "playback"], CameraRightNames.ToNames(CameraRights.Live | CameraRights.Playback));
    }
}
