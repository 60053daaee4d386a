using Argus.Core.Geometry;
using Argus.Core.Privacy;

namespace Argus.Core.Tests.Privacy;

public sealed class CameraPrivacyTests
{
    private static Polygon Triangle(double x) => Polygon.Create([new(x, 0.1), new(0.9, 0.1), new(0.5, 0.9)]);

    [Fact]
    public void Same_points_and_flag_are_the_same_settings_whatever_the_instances()
    {
        Assert.True(new CameraPrivacy([Triangle(0.1)], true).SameAs(new CameraPrivacy([Triangle(0.1)], true)));
        Assert.True(CameraPrivacy.None.SameAs(new CameraPrivacy([], false)));
    }

    [Fact]
    public void A_moved_point_an_extra_mask_or_the_flag_is_a_change()
    {
        var settings = new CameraPrivacy([Triangle(0.1)], false);
        Assert.False(settings.SameAs(new CameraPrivacy([Triangle(0.2)], false)));
        Assert.False(settings.SameAs(new CameraPrivacy([Triangle(0.1), Triangle(0.2)], false)));
        Assert.False(settings.SameAs(settings with { Critical = true }));
        Assert.False(settings.SameAs(CameraPrivacy.None));
    }

    [Fact]
    public void No_masks_means_nothing_to_mask_even_when_critical()
    {
        Assert.False(new CameraPrivacy([], true).HasMasks);
        Assert.True(new CameraPrivacy([Triangle(0.1)], false).HasMasks);
    }
}
