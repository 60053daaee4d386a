using Argus.Core.Geometry;

namespace Argus.Core.Tests.Geometry;

public class HomographyTests
{
    // A known projective map (image -> ground) to generate consistent reference points.
    private static (double X, double Y) Known(double x, double y)
    {
        var w = (0.3 * x) + (1.2 * y) + 1;
        return (((40 * x) - (5 * y) + 2) / w, ((3 * x) + (60 * y) - 4) / w);
    }

    private static readonly NormPoint[] Quad = [new(0.2, 0.4), new(0.8, 0.4), new(0.95, 0.9), new(0.05, 0.9)];

    [Fact]
    public void Four_points_of_a_known_transform_reproduce_it_everywhere()
    {
        var h = Homography.FromPoints(Quad, [.. Quad.Select(p => Known(p.X, p.Y))]);
        foreach (var (x, y) in new[] { (0.5, 0.5), (0.3, 0.7), (0.9, 0.95), (0.1, 0.3), (0.6, 0.85) })
        {
            var expected = Known(x, y);
            var got = h.Apply(new NormPoint(x, y));
            Assert.Equal(expected.X, got.X, 9);
            Assert.Equal(expected.Y, got.Y, 9);
        }
    }

    [Fact]
    public void A_rectangle_maps_to_metres_by_scaling()
    {
        var h = Homography.FromPoints([new(0, 0), new(1, 0), new(1, 1), new(0, 1)], [(0, 0), (20, 0), (20, 10), (0, 10)]);
        var p = h.Apply(new NormPoint(0.25, 0.5));
        Assert.Equal(5, p.X, 9);
        Assert.Equal(5, p.Y, 9);
    }

    [Fact]
    public void Points_beyond_the_horizon_are_not_finite()
    {
        // A road receding upwards: the top edge is much wider on the ground than the bottom, so the horizon lies above it.
        var h = Homography.FromPoints([new(0.4, 0.5), new(0.6, 0.5), new(1, 1), new(0, 1)], [(0, 100), (10, 100), (10, 0), (0, 0)]);
        Assert.True(double.IsFinite(h.Apply(new NormPoint(0.5, 0.7)).X));
        Assert.True(double.IsNaN(h.Apply(new NormPoint(0.5, 0.1)).X));
        Assert.True(double.IsNaN(h.Apply(new NormPoint(double.NaN, 0.5)).X));
    }

    [Theory]
    [InlineData(0.2, 0.4, 0.2, 0.4, "same point")]     // image point 2 repeats point 1
    [InlineData(0.5, 0.4, 0.8, 0.4, "on one line")]     // points 1, 2 and the original 2 lie on y = 0.4
    public void Degenerate_image_points_are_refused(double x1, double y1, double x2, double y2, string message)
    {
        NormPoint[] img = [new(0.2, 0.4), new(x1, y1), new(x2, y2), new(0.05, 0.9)];
        if (message == "on one line") img = [new(0.2, 0.4), new(x1, y1), new(x2, y2), new(0.5, 0.9)];
        var e = Assert.Throws<ArgumentException>(() => Homography.FromPoints(img, [(0, 0), (10, 0), (10, 10), (0, 10)]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Collinear_ground_points_and_wrong_counts_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Homography.FromPoints(Quad, [(0, 0), (5, 5), (10, 10), (0, 10)]));
        Assert.Contains("on one line", e.Message);
        Assert.Throws<ArgumentException>(() => Homography.FromPoints(Quad[..3], [(0, 0), (5, 5), (10, 10)]));
        Assert.Throws<ArgumentException>(() => Homography.FromPoints(Quad, [(0, 0), (10, 0), (double.NaN, 10), (0, 10)]));
    }

    [Fact]
    public void Points_in_different_orders_are_refused()
    {
        // Ground corners listed as a bow tie against an image quad listed around its edge.
        var e = Assert.Throws<ArgumentException>(() => Homography.FromPoints(Quad, [(0, 0), (10, 10), (10, 0), (0, 10)]));
        Assert.Contains("same order", e.Message);
    }
}
