namespace Argus.Core.Geometry;

/// <summary>A point in frame coordinates normalised to 0..1 (x to the right, y down), so zones survive a resolution change.</summary>
public readonly record struct NormPoint(double X, double Y);

/// <summary>A simple polygon in normalised frame coordinates: a zone, a motion mask or a privacy mask.</summary>
public sealed class Polygon
{
    public const int MaxPoints = 64;
    public IReadOnlyList<NormPoint> Points { get; }

    private Polygon(IReadOnlyList<NormPoint> points) => Points = points;

    /// <exception cref="ArgumentException">with a message fit for the API caller.</exception>
    public static Polygon Create(IReadOnlyList<NormPoint> points)
    {
        if (points.Count < 3) throw new ArgumentException("a polygon needs at least 3 points.");
        if (points.Count > MaxPoints) throw new ArgumentException($"a polygon may have at most {MaxPoints} points.");
        foreach (var p in points)
        {
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || p.X < 0 || p.X > 1 || p.Y < 0 || p.Y > 1)
                throw new ArgumentException("polygon points must be [x, y] with 0 <= x, y <= 1 (fractions of the frame).");
        }
        var area = Math.Abs(SignedArea(points));
        if (area < 1e-6) throw new ArgumentException("the polygon has no area (its points are on one line or repeated).");
        if (SelfIntersects(points)) throw new ArgumentException("the polygon's edges cross each other; draw its points in order around the area.");
        return new Polygon([.. points]);
    }

    /// <summary>From the API's [[x, y], ...] form.</summary>
    public static Polygon FromArrays(IReadOnlyList<double[]>? points)
    {
        if (points is null) throw new ArgumentException("points is required: [[x, y], ...] with 0..1 coordinates.");
        var list = new List<NormPoint>(points.Count);
        foreach (var p in points)
        {
            if (p is null || p.Length != 2) throw new ArgumentException("each point must be [x, y].");
            list.Add(new NormPoint(p[0], p[1]));
        }
        return Create(list);
    }

    public double[][] ToArrays() => [.. Points.Select(p => new[] { p.X, p.Y })];

    /// <summary>Fraction of the frame the polygon covers.</summary>
    public double Area => Math.Abs(SignedArea(Points));

    /// <summary>Even-odd rule; points on the boundary may fall either way.</summary>
    public bool Contains(double x, double y)
    {
        var inside = false;
        for (int i = 0, j = Points.Count - 1; i < Points.Count; j = i++)
        {
            var a = Points[i];
            var b = Points[j];
            if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
        }
        return inside;
    }

    /// <summary>Rasterises the polygon onto a width x height grid (pixel centres), setting covered cells to <paramref name="value"/>.</summary>
    public void Fill(Span<byte> grid, int width, int height, byte value)
    {
        if (grid.Length < width * height) throw new ArgumentException("grid is smaller than width x height.");
        for (var row = 0; row < height; row++)
        {
            var y = (row + 0.5) / height;
            for (var col = 0; col < width; col++)
            {
                if (Contains((col + 0.5) / width, y)) grid[row * width + col] = value;
            }
        }
    }

    private static double SignedArea(IReadOnlyList<NormPoint> p)
    {
        double sum = 0;
        for (int i = 0, j = p.Count - 1; i < p.Count; j = i++) sum += (p[j].X * p[i].Y) - (p[i].X * p[j].Y);
        return sum / 2;
    }

    private static bool SelfIntersects(IReadOnlyList<NormPoint> p)
    {
        var n = p.Count;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                // Adjacent edges share a vertex; that is not a crossing.
                if (j == i + 1 || (i == 0 && j == n - 1)) continue;
                if (Cross(p[i], p[(i + 1) % n], p[j], p[(j + 1) % n])) return true;
            }
        }
        return false;
    }

    private static bool Cross(NormPoint a, NormPoint b, NormPoint c, NormPoint d)
    {
        static double Orient(NormPoint p, NormPoint q, NormPoint r) => ((q.X - p.X) * (r.Y - p.Y)) - ((q.Y - p.Y) * (r.X - p.X));
        var d1 = Orient(c, d, a);
        var d2 = Orient(c, d, b);
        var d3 = Orient(a, b, c);
        var d4 = Orient(a, b, d);
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
    }
}
