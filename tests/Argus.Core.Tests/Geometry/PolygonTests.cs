using Argus.Core.Geometry;

namespace Argus.Core.Tests.Geometry;

public class PolygonTests
{
    private static Polygon Square(double a, double b) => Polygon.Create([new(a, a), new(b, a), new(b, b), new(a, b)]);

    [Fact]
    public void A_square_contains_its_inside_and_not_its_outside_and_knows_its_area()
    {
        var p = Square(0.25, 0.75);
        Assert.True(p.Contains(0.5, 0.5));
        Assert.False(p.Contains(0.1, 0.5));
        Assert.False(p.Contains(0.5, 0.9));
        Assert.Equal(0.25, p.Area, 6);
    }

    [Fact]
    public void A_concave_polygon_excludes_its_notch()
    {
        // An L shape: the top right quarter is outside.
        var l = Polygon.Create([new(0, 0), new(0.5, 0), new(0.5, 0.5), new(1, 0.5), new(1, 1), new(0, 1)]);
        Assert.True(l.Contains(0.25, 0.25));
        Assert.False(l.Contains(0.75, 0.25));
        Assert.True(l.Contains(0.75, 0.75));
    }

    [Fact]
    public void Fill_rasterises_onto_a_grid_at_pixel_centres()
    {
        var grid = new byte[10 * 10];
        Square(0.2, 0.6).Fill(grid, 10, 10, 1);
        Assert.Equal(16, grid.Count(b => b == 1)); // columns and rows 2..5
        Assert.Equal(1, grid[3 * 10 + 3]);
        Assert.Equal(0, grid[7 * 10 + 7]);
    }

    [Theory]
    [InlineData("[[0,0],[1,0]]", "at least 3 points")]
    [InlineData("[[0,0],[1.5,0],[1,1]]", "0 <= x, y <= 1")]
    [InlineData("[[0,0],[0.5,0.5],[1,1]]", "no area")]
    [InlineData("[[0,0],[1,1],[1,0],[0,0.5]]", "cross")]
    [InlineData("[[0,0],[1],[1,1]]", "[x, y]")]
    public void Bad_polygons_are_refused_with_a_reason(string json, string reason)
    {
        var points = System.Text.Json.JsonSerializer.Deserialize<double[][]>(json)!;
        var e = Assert.Throws<ArgumentException>(() => Polygon.FromArrays(points));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Arrays_round_trip()
    {
        var p = Square(0.1, 0.4);
        Assert.Equal(p.Points, Polygon.FromArrays(p.ToArrays()).Points);
    }
}
