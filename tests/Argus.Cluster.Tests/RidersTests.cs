using Argus.Cluster.Analysis;
using Argus.Core.Objects;
using Argus.Vision.Detection;

namespace Argus.Cluster.Tests;

public class RidersTests
{
    private static DetectedObject D(string label, float score, double x1, double y1, double x2, double y2) =>
        new(ObjectClasses.IdOf(label), label, score, NormBox.FromCorners(x1, y1, x2, y2));

    [Fact]
    public void A_rider_is_folded_into_the_two_wheeler_with_the_better_score_and_both_boxes()
    {
        var merged = Riders.Merge([D("person", 0.5f, 0.40, 0.20, 0.46, 0.40), D("motorcycle", 0.2f, 0.39, 0.30, 0.47, 0.45), D("car", 0.9f, 0.7, 0.7, 0.9, 0.9)]);
        Assert.Equal(2, merged.Count);
        var bike = Assert.Single(merged, d => d.Label == "motorcycle");
        Assert.Equal(0.5f, bike.Score);
        Assert.Equal(NormBox.FromCorners(0.39, 0.20, 0.47, 0.45), bike.Box);
        Assert.DoesNotContain(merged, d => d.Label == "person");
    }

    [Fact]
    public void A_pedestrian_beside_a_parked_bicycle_stays_a_person()
    {
        var list = new[] { D("person", 0.8f, 0.10, 0.20, 0.16, 0.50), D("bicycle", 0.7f, 0.17, 0.35, 0.27, 0.50) };
        Assert.Equal(list, Riders.Merge(list));
    }

    [Fact]
    public void A_person_standing_behind_a_motorcycle_but_taller_than_it_by_far_is_not_folded_when_beside_it()
    {
        // Centre outside the wheels' width: someone walking past.
        var list = new[] { D("person", 0.8f, 0.30, 0.10, 0.36, 0.50), D("motorcycle", 0.6f, 0.34, 0.35, 0.50, 0.50) };
        Assert.Equal(2, Riders.Merge(list).Count);
    }
}
